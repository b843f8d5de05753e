//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc when the arena source or the raw allocator fails")
struct ArenaSourceFailureTests {
  @Test(
    "an arena source failing at call k sends small requests to the raw allocator, losing no block",
    arguments: 1...5)
  func arenaSourceFailsAtCall(k: Int) throws {
    let source = TestArenaSource(placement: [4096])  // 63 pools per arena
    source.failingCalls = [k]
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    // Enough 512-byte blocks for five arenas, one more request than the pools hold when the arena fails.
    let count = 63 * 31 * 5 + 1
    var blocks: [UnsafeMutableRawPointer] = []
    blocks.reserveCapacity(count)
    for index in 0..<count {
      let block = try #require(heap.allocate(byteCount: 512))
      for word in 0..<64 { block.storeBytes(of: index &* 64 &+ word, toByteOffset: word * 8, as: Int.self) }
      blocks.append(block)
    }
    #expect(source.obtainCalls == 6)
    let rawBlocks = blocks.filter { heap.ownership(of: $0) == .foreign }
    #expect(rawBlocks.count == 1)
    #expect(heap.statistics().extras["raw allocated blocks"] == 1)
    #expect(heap.allocatedBlocks == count)
    #expect(Set(blocks).count == count)
    let intact = blocks.enumerated().allSatisfy { index, block in
      (0..<64).allSatisfy { block.load(fromByteOffset: $0 * 8, as: Int.self) == index &* 64 &+ $0 }
    }
    #expect(intact)
    blocks.forEach(heap.deallocate)
    #expect(heap.allocatedBlocks == 0)
    let totals = heap.reportTotals
    #expect(totals.total == totals.arenas * arenaSize)
  }

  @Test("when the raw allocator cannot grow the descriptor vector or map, no arena is attached")
  func rawFailureAtFirstArena() throws {
    let failSwitch = FailSwitch()
    let source = TestArenaSource()
    let heap = PymallocHeap(raw: FailingRawAllocator(failSwitch: failSwitch), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    failSwitch.failing = true
    #expect(heap.allocate(byteCount: 64) == nil)
    #expect(source.liveArenaCount == 0)
    failSwitch.failing = false
    let block = try #require(heap.allocate(byteCount: 64))
    #expect(heap.ownership(of: block) == .blockStart)
    #expect(source.liveArenaCount == 1)
    heap.deallocate(block)
  }
}
