//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc ownership: the arena map")
struct OwnershipTests {
  @Test(
    "ownership at the edges of aligned, pool-aligned and unaligned arenas",
    arguments: [0, 16384, 4096, 1 << 19, arenaSize - 4096])
  func arenaEdges(offset: Int) throws {
    let source = TestArenaSource(placement: [offset])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    // Fill two arenas so both carve every pool.
    var blocks: [UnsafeMutableRawPointer] = []
    let pools = offset % poolSize == 0 ? 64 : 63
    for _ in 0..<(pools + 1) { blocks += try allocateFullPool(heap) }
    #expect(source.obtained.count == 2)
    for arena in source.obtained {
      // The map owns the arena's whole pools: the alignment loss at either end of an unaligned one is no heap's.
      let base = UnsafeRawPointer(arena)
      let firstPool = UnsafeRawPointer(bitPattern: poolBase(arena + poolSize - 1))!
      let poolsEnd = UnsafeRawPointer(bitPattern: poolBase(arena + arenaSize))!
      #expect(!heap.owns(firstPool - 1))
      #expect(heap.owns(firstPool))
      #expect(heap.owns(poolsEnd - 1))
      #expect(!heap.owns(poolsEnd))
      #expect((poolsEnd - firstPool) == pools * poolSize)
      #expect(heap.ownership(of: firstPool - 1) == .foreign)
      #expect(heap.ownership(of: firstPool) == .interior)  // a pool header
      #expect(heap.ownership(of: poolsEnd - 1) == .interior)
      #expect(heap.ownership(of: poolsEnd) == .foreign)
      #expect(heap.ownership(of: base + arenaSize - 1) == (offset % poolSize == 0 ? .interior : .foreign))
      #expect(heap.arenaBase(of: base + arenaSize / 2) == UInt(bitPattern: base))
    }
    let block = blocks[5]
    #expect(heap.ownership(of: block) == .blockStart)
    #expect(heap.ownership(of: block + 1) == .interior)
    #expect(heap.ownership(of: block + 512) == .blockStart)
    #expect(heap.ownership(of: UnsafeRawPointer(bitPattern: poolBase(block))!) == .interior)
    blocks.forEach(heap.deallocate)
  }

  @Test("a released arena's addresses are foreign again; never-carved pools are interior")
  func releasedArena() throws {
    let source = TestArenaSource(placement: [4096])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    var pools: [[UnsafeMutableRawPointer]] = []
    for _ in 0..<64 { pools.append(try allocateFullPool(heap)) }
    let first = source.obtained[0]
    let last = pools.removeLast()
    // The second arena has one carved pool; the pool after it was never carved.
    #expect(heap.ownership(of: UnsafeRawPointer(bitPattern: poolBase(last[0]) + UInt(poolSize) + 48)!) == .interior)
    for pool in pools { pool.forEach(heap.deallocate) }
    // The first arena's last pool empties while the second (62 free pools, as the first had) sorts after it:
    // the first is not the tail, so it goes back.
    #expect(source.released == [first])
    #expect(heap.ownership(of: first + 100_000) == .foreign)
    #expect(heap.ownership(of: first) == .foreign)
    last.forEach(heap.deallocate)
    // The second is now the only, hence last, usable arena: kept.
    #expect(source.released == [first])
    #expect(heap.ownership(of: source.obtained[1] + 100_000) == .interior)
  }

  @Test("a raw pointer is freed by the raw allocator even when its neighbours are arenas")
  func foreignPointers() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let small = try #require(heap.allocate(byteCount: 64))
    let foreign = try #require(SystemAllocator().allocate(byteCount: 64))
    #expect(heap.ownership(of: foreign) == .foreign)
    #expect(heap.ownership(of: UnsafeRawPointer(bitPattern: 0x1000)!) == .foreign)
    #expect(heap.ownership(of: UnsafeRawPointer(bitPattern: UInt.max - 15)!) == .foreign)
    #expect(heap.usableSize(of: foreign) >= 64)
    heap.deallocate(small)
    SystemAllocator().deallocate(foreign)
  }

  @Test("a block of another heap is recognised and refused, and stays intact in its heap (review finding 7)")
  func blockOfAnotherHeap() throws {
    let first = Heap(raw: SystemAllocator())
    let second = Heap(raw: SystemAllocator())
    defer {
      first.destroy()
      second.destroy()
    }
    let block = try #require(first.allocate(byteCount: 40))
    fill(block, byteCount: 40, seed: 3)
    let kept = try #require(second.allocate(byteCount: 40))
    #expect(Heap.heapNumber(owning: block) == first.heapNumber && first.heapNumber != second.heapNumber)
    #expect(first.ownership(of: block) == .blockStart)
    #expect(
      second.ownership(of: block)
        == .anotherHeap(owner: "pymalloc heap #\(first.heapNumber)", heap: "pymalloc heap #\(second.heapNumber)"))
    // Handed to glibc, an mmap'd address that glibc never returned would abort the process.
    second.deallocate(block)
    #expect(second.reallocate(block, byteCount: 100) == nil)
    #expect(first.allocatedBlocks == 1 && second.allocatedBlocks == 1)
    #expect(holdsPattern(block, byteCount: 40, seed: 3))
    #expect(second.usableSize(of: block) == 48)
    first.deallocate(block)
    second.deallocate(kept)
    #expect(first.allocatedBlocks == 0 && second.allocatedBlocks == 0)
  }

  @Test("an unaligned arena straddling a 16 GiB boundary spans two bottom nodes")
  func bottomNodeBoundary() throws {
    // Reserve 16 GiB + 4 MiB of address space without memory, and open 2 MiB around a 2^34 boundary.
    let reserved = (1 << 34) + 4 * arenaSize
    let region = mmap(nil, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
    try #require(region != MAP_FAILED)
    defer { munmap(region, reserved) }
    let start = UInt(bitPattern: region)
    let boundary = (start + UInt(2 * arenaSize) + (1 << 34) - 1) & ~((1 << 34) - 1)
    let base = try #require(UnsafeMutableRawPointer(bitPattern: boundary - UInt(arenaSize / 2) + 4096))
    try #require(mprotect(base, arenaSize, PROT_READ | PROT_WRITE) == 0)
    var handedOut = false
    let heap = Heap(
      raw: SystemAllocator(),
      arenaSource: ArenaSource(
        obtain: { _ in
          defer { handedOut = true }
          return handedOut ? nil : base
        }, release: { _, _ in }))
    defer { heap.destroy() }
    var blocks: [UnsafeMutableRawPointer] = []
    for _ in 0..<63 { blocks += try allocateFullPool(heap) }
    // The two ideal slots around the boundary have their leaves in two bottom nodes: the last leaf of one and the
    // first of the other.
    let below = try #require(_ArenaMap._existingLeaf(boundary - 1))
    let above = try #require(_ArenaMap._existingLeaf(boundary))
    #expect(_ArenaMap._bottomIndex(boundary - 1) == _ArenaMap.bottomLength - 1 && _ArenaMap._bottomIndex(boundary) == 0)
    #expect(below - (_ArenaMap.bottomLength - 1) != above)
    #expect(!heap.owns(UnsafeRawPointer(base) - 1))
    #expect(heap.owns(UnsafeRawPointer(bitPattern: boundary - 1)!))
    #expect(heap.owns(UnsafeRawPointer(bitPattern: boundary)!))
    let poolsEnd = UnsafeRawPointer(bitPattern: poolBase(base + arenaSize))!  // the alignment loss after it is no heap's
    #expect(heap.owns(poolsEnd - 1))
    #expect(!heap.owns(poolsEnd))
    #expect(blocks.allSatisfy { heap.ownership(of: $0) == .blockStart })
    // The arena source is exhausted: the next small block comes from the raw allocator.
    let fallback = try #require(heap.allocate(byteCount: 512))
    #expect(heap.ownership(of: fallback) == .foreign)
    heap.deallocate(fallback)
    blocks.forEach(heap.deallocate)
  }
}
