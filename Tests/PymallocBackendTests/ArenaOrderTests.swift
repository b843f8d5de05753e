//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc usable-arena order and fingers, against a naive model")
struct ArenaOrderTests {
  /// Frees and re-allocates whole pools at random over several arenas; after every step the usable list must be
  /// exactly the model's arenas with free pools, sorted by free pools, with every finger on the last arena of
  /// its count.
  func runModelCheck(steps: Int, initialPools: Int, seed: UInt64) throws {
    let source = TestArenaSource(placement: [4096, 0, 8192, 1 << 19])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    var generator = SeededGenerator(seed: seed)
    var pools: [[UnsafeMutableRawPointer]] = []
    var livePools: [UInt: Int] = [:]  // the model: arena base → pools the test holds there

    func totalPools(_ base: UInt) -> Int { base % UInt(poolSize) == 0 ? 64 : 63 }
    func allocatePool() throws {
      let blocks = try allocateFullPool(heap)
      let base = try #require(heap.arenaBase(of: blocks[0]))
      livePools[base, default: 0] += 1
      pools.append(blocks)
    }
    func freePool(at index: Int) throws {
      let blocks = pools.remove(at: index)
      let base = try #require(heap.arenaBase(of: blocks[0]))
      blocks.forEach(heap.deallocate)
      livePools[base]! -= 1
    }

    for _ in 0..<initialPools { try allocatePool() }
    var frees = 0
    for _ in 0..<steps {
      if !pools.isEmpty, generator.next() % 8 < 5 {
        try freePool(at: Int(generator.next() % UInt64(pools.count)))
        frees += 1
      } else {
        try allocatePool()
      }
      // Attached arenas: every arena the model has live pools in, plus at most one wholly free one.
      let attached = Set(heap._state.pointee.attachedArenas.map { UInt(bitPattern: $0.pointee.address) })
      let modelLive = Set(livePools.filter { $0.value > 0 }.keys)
      #expect(modelLive.isSubset(of: attached))
      let whollyFree = attached.subtracting(modelLive)
      #expect(whollyFree.count <= 1)
      // The usable list against the model.
      let order = heap.usableArenaOrder
      let listed = order.map { UInt(bitPattern: $0.arena.pointee.address) }
      let expectedMembers = attached.filter { totalPools($0) - (livePools[$0] ?? 0) > 0 }
      #expect(Set(listed) == expectedMembers && listed.count == expectedMembers.count)
      for (arena, free) in order {
        let base = UInt(bitPattern: arena.pointee.address)
        #expect(free == totalPools(base) - (livePools[base] ?? 0))
      }
      #expect(zip(order, order.dropFirst()).allSatisfy { $0.freePools <= $1.freePools })
      if let spare = whollyFree.first { #expect(listed.last == spare) }
      for count in 0...64 {
        let expectedFinger = order.last { $0.freePools == count }?.arena
        #expect(heap._state.pointee.lastArenaWithFreePools[count] == expectedFinger)
      }
      // Released arenas went back exactly once and the report stays balanced.
      let totals = heap.reportTotals
      #expect(totals.total == totals.arenas * arenaSize)
      #expect(source.liveArenaCount == attached.count)
    }
    #expect(frees > steps / 2)
    #expect(source.released.count > 0)
    for pool in pools { pool.forEach(heap.deallocate) }
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("3,000 random pool frees and allocations over 4–8 arenas keep the order and fingers exact")
  func modelCheck() throws {
    try runModelCheck(steps: 3000, initialPools: 63 * 6, seed: 42)
  }

  @Test(
    "100,000 random steps over 16 arenas", .tags(.heavy), .enabled(if: heavyTestsEnabled))
  func modelCheckHeavy() throws {
    try runModelCheck(steps: 100_000, initialPools: 63 * 16, seed: 7)
  }
}
