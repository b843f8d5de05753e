//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads
import Foundation
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc option keepsEmptyPoolPerClass: one empty pool per class stays on its list")
struct KeptEmptyPoolTests {
  static var keeping: PymallocOptions { PymallocOptions(keepsEmptyPoolPerClass: true) }

  @Test("a class's only pool stays on its list when emptied, is reused in place, and counts as unused")
  func keptAndReused() throws {
    let heap = Heap(raw: SystemAllocator(), options: Self.keeping)
    defer { heap.destroy() }
    let first = try #require(heap.allocate(byteCount: 40))
    heap.deallocate(first)
    let pool = _Pool.containing(first)
    #expect(heap._state._usedPools(2).pointee.nextPool == pool)
    #expect(heap.statistics().extras["pools kept empty"] == 1)
    // As CPython, which would have put it on the free list, counts it.
    #expect(heap.statistics().extras["unused pools"] == heap._state.pointee.arenas?.pointee.totalPoolCount)
    #expect(heap.reportTotals.total == heap.reportTotals.arenas * arenaSize)
    let again = try #require(heap.allocate(byteCount: 40))
    #expect(again == first)
    #expect(heap.statistics().extras["pools kept empty"] == 0)
    heap.deallocate(again)
  }

  @Test("without a retained tail arena, a pool is kept when another used pool holds its arena (review finding 4)")
  func keptBesideOneOtherUsedPool() throws {
    // No wholly free arena is retained, so the kept-pool count decides: the arena holds exactly one other used pool.
    let heap = Heap(
      raw: SystemAllocator(), options: PymallocOptions(retainedEmptyArenas: 0, keepsEmptyPoolPerClass: true))
    defer { heap.destroy() }
    let other = try #require(heap.allocate(byteCount: 90))
    let block = try #require(heap.allocate(byteCount: 40))
    heap.deallocate(block)
    #expect(heap.statistics().extras["pools kept empty"] == 1)
    #expect(heap._state._usedPools(2).pointee.nextPool == _Pool.containing(block))
    heap.deallocate(other)
  }

  @Test("a second pool of the class emptied behind the kept one goes to the free list as in CPython")
  func onlyOnePerClass() throws {
    let heap = Heap(raw: SystemAllocator(), options: Self.keeping)
    defer { heap.destroy() }
    let pools = try (0..<2).map { _ in try allocateFullPool(heap) }
    pools[1].forEach(heap.deallocate)  // full → used → empty while pools[0] is full: the class's only pool
    pools[0].forEach(heap.deallocate)  // the kept pool is the head; this one is not alone
    #expect(heap.statistics().extras["pools kept empty"] == 1)
    let totals = heap.reportTotals
    #expect(totals.pools == 0 && totals.total == totals.arenas * arenaSize)
  }

  @Test(
    "kept pools never hold back an arena CPython would give back; with K > 1 retained, at most one per class",
    arguments: [0, 1, 3])
  func arenasGoBackAsWithoutTheOption(retained: Int) throws {
    func releasedArenas(keeping: Bool) throws -> Int {
      let source = TestArenaSource(placement: [4096])
      let options = PymallocOptions(retainedEmptyArenas: retained, keepsEmptyPoolPerClass: keeping)
      let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource, options: options)
      defer { heap.destroy() }
      var generator = XorShift64(seed: 3)
      var blocks = try (0..<60_000).map { _ in
        try #require(heap.allocate(byteCount: 1 + Int(generator.next() % 512)))
      }
      for index in blocks.indices.reversed() {  // a seeded shuffle
        blocks.swapAt(index, Int(generator.next() % UInt64(index + 1)))
      }
      blocks.forEach(heap.deallocate)
      let totals = heap.reportTotals
      #expect(totals.total == totals.arenas * arenaSize)
      #expect(heap.allocatedBlocks == 0)
      return source.released.count
    }
    let (kept, plain) = (try releasedArenas(keeping: true), try releasedArenas(keeping: false))
    if retained <= 1 {
      #expect(kept == plain)
    } else {
      #expect(kept <= plain && plain - kept <= _Layout.sizeClassCount)
    }
    #expect(plain > 0)
  }

  @Test("a random mixed sequence keeps every block intact and the report adding up")
  func mixedSequence() throws {
    let heap = Heap(raw: SystemAllocator(), options: Self.keeping)
    defer { heap.destroy() }
    var generator = XorShift64(seed: 9)
    var live: [(pointer: UnsafeMutableRawPointer, size: Int, seed: Int)] = []
    for step in 0..<200_000 {
      if live.isEmpty || generator.next() % 100 < 52 {
        let size = 1 + Int(generator.next() % 600)
        let pointer = try #require(heap.allocate(byteCount: size))
        fill(pointer, byteCount: size, seed: step)
        live.append((pointer, size, step))
      } else {
        let index = Int(generator.next() % UInt64(live.count))
        live.swapAt(index, live.count - 1)
        let block = live.removeLast()
        #expect(holdsPattern(block.pointer, byteCount: block.size, seed: block.seed))
        heap.deallocate(block.pointer)
      }
    }
    live.forEach { heap.deallocate($0.pointer) }
    let totals = heap.reportTotals
    #expect(totals.total == totals.arenas * arenaSize)
    #expect(heap.allocatedBlocks == 0)
  }
}

@Suite("pymalloc options from the environment")
struct EnvironmentOptionsTests {
  @Test("SWIFTMALLOC_PURGE, _RETAINED_ARENAS, _KEEP_EMPTY_POOL and _REALLOC_HEADROOM parse; bad values keep CPython's")
  func parsing() {
    let set = PymallocOptions.fromEnvironment([
      "SWIFTMALLOC_PURGE": "64", "SWIFTMALLOC_RETAINED_ARENAS": "3", "SWIFTMALLOC_KEEP_EMPTY_POOL": "1",
      "SWIFTMALLOC_REALLOC_HEADROOM": "1",
    ])
    #expect(set.purge == .afterEmptyPools(64) && set.retainedEmptyArenas == 3 && set.keepsEmptyPoolPerClass)
    #expect(set.reallocationHeadroom)
    #expect(PymallocOptions.fromEnvironment(["SWIFTMALLOC_PURGE": "immediate"]).purge == .immediate)
    let bad = PymallocOptions.fromEnvironment([
      "SWIFTMALLOC_PURGE": "0", "SWIFTMALLOC_RETAINED_ARENAS": "-1", "SWIFTMALLOC_KEEP_EMPTY_POOL": "yes",
      "SWIFTMALLOC_REALLOC_HEADROOM": "on",
    ])
    #expect(bad.purge == .off && bad.retainedEmptyArenas == 1 && !bad.keepsEmptyPoolPerClass)
    #expect(!bad.reallocationHeadroom)
  }
}
