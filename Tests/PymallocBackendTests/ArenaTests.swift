//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

/// Allocates one full pool of 512-byte blocks (31 blocks).
func allocateFullPool(_ heap: Heap) throws -> [UnsafeMutableRawPointer] {
  let blocks = try (0..<31).map { _ in try #require(heap.allocate(byteCount: 512)) }
  #expect(Set(blocks.map(poolBase)).count == 1)
  return blocks
}

@Suite("pymalloc arenas: attachment, alignment loss, release")
struct ArenaTests {
  @Test(
    "an arena holds 63 pools when unaligned and 64 when pool-aligned; the next pool opens a second arena",
    arguments: [(4096, 63), (0, 64), (16384, 64)])
  func secondArena(offset: Int, pools: Int) throws {
    let source = TestArenaSource(placement: [offset])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    var blocks: [UnsafeMutableRawPointer] = []
    for _ in 0..<pools { blocks += try allocateFullPool(heap) }
    #expect(source.obtained.count == 1)
    #expect(Set(blocks.map(poolBase)).count == pools)
    let firstBase = UInt(bitPattern: source.obtained[0])
    #expect(blocks.allSatisfy { heap.arenaBase(of: $0) == firstBase })
    #expect(heap.statistics().extras["bytes lost to arena alignment"] == (pools == 63 ? 16384 : 0))
    let next = try #require(heap.allocate(byteCount: 512))
    #expect(source.obtained.count == 2)
    #expect(heap.arenaBase(of: next) == UInt(bitPattern: source.obtained[1]))
    blocks.append(next)
    blocks.forEach(heap.deallocate)
  }

  @Test("freeing everything releases every emptied arena but the usable list's tail, counted as reclaimed")
  func releaseOrder() throws {
    let source = TestArenaSource(placement: [4096])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    var pools: [[UnsafeMutableRawPointer]] = []
    for _ in 0..<(63 * 2 + 5) { pools.append(try allocateFullPool(heap)) }
    #expect(source.obtained.count == 3)
    let (a1, a2, a3) = (source.obtained[0], source.obtained[1], source.obtained[2])
    var steps = 0
    for pool in pools {
      pool.forEach(heap.deallocate)
      steps += 1
      let totals = heap.reportTotals
      #expect(totals.total == totals.arenas * arenaSize)
      // A1 empties first while A3 still has used pools, so it sorts last and is kept.
      if steps == 63 { #expect(source.released.isEmpty) }
      // A2 empties with A1 behind it: released.
      if steps == 126 { #expect(source.released == [a2]) }
    }
    // A3 empties with A1 behind it: released. A1, the tail, stays.
    #expect(source.released == [a2, a3])
    #expect(source.liveArenaCount == 1)
    #expect(!source.released.contains(a1))
    let stats = heap.statistics()
    #expect(stats.extras["arenas allocated total"] == 3)
    #expect(stats.extras["arenas reclaimed"] == 2)
    #expect(stats.extras["arenas highwater mark"] == 3)
    #expect(stats.extras["arenas allocated current"] == 1)
    #expect(heap.statisticsReport().contains("# arenas reclaimed                 =                    2\n"))
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("destroy returns every arena to the source")
  func destroyReleasesArenas() throws {
    let source = TestArenaSource()
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    for _ in 0..<(63 * 3) { _ = try allocateFullPool(heap) }
    let raw = try #require(heap.allocate(byteCount: 10_000))
    #expect(source.obtained.count >= 3)
    heap.destroy()
    #expect(Set(source.released) == Set(source.obtained))
    #expect(source.released.count == source.obtained.count)
    SystemAllocator().deallocate(raw)
  }

  @Test("the descriptor vector grows past 16 arenas and keeps every block intact")
  func descriptorGrowth() throws {
    let source = TestArenaSource(placement: [4096, 0])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    var blocks: [UnsafeMutableRawPointer] = []
    // 18 arenas' worth of full pools; every seventh block holds a pattern.
    for _ in 0..<(18 * 63 + 10) { blocks += try allocateFullPool(heap) }
    for (index, block) in blocks.enumerated() where index % 7 == 0 { fill(block, byteCount: 512, seed: index) }
    #expect(source.obtained.count > 16)
    #expect(heap._state.pointee.maximumArenaCount == 32)
    for (index, block) in blocks.enumerated() where index % 7 == 0 {
      #expect(holdsPattern(block, byteCount: 512, seed: index))
    }
    blocks.forEach(heap.deallocate)
    #expect(source.liveArenaCount == 1)
  }
}
