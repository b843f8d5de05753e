//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("The freed-block cache (SWIFTMALLOC_BLOCK_CACHE): held blocks, capacity, figures and growth as CPython's")
struct BlockCacheTests {
  let cached = PymallocOptions(blockCacheCapacity: 4)

  @Test("a held block's full pool is not touched, and the next request of its class takes it back, newest first")
  func heldBlocksLeaveTheirPoolAlone() throws {
    let heap = Heap(raw: SystemAllocator(), options: cached)
    defer { heap.destroy() }
    let full = try allocateFullPool(heap)  // 31 blocks of 512 bytes: a full pool, on no list
    let head = try #require(heap.allocate(byteCount: 512))  // a pool with free blocks: the class's head pool
    for (index, block) in full.enumerated() { fill(block, byteCount: 512, seed: index) }
    full[..<3].forEach(heap.deallocate)
    let pool = _Pool.containing(full[0])
    #expect(heap.cachedFreedBlocks == 3 && pool.pointee.count == 31 && pool.pointee.freeBlock == nil)
    #expect(heap.allocate(byteCount: 500) == full[2])
    #expect(heap.allocate(byteCount: 512) == full[1])
    #expect(heap.cachedFreedBlocks == 1)
    // A block of a pool that is not full goes back to it: that pool's header is in use anyway.
    heap.deallocate(head)
    #expect(heap.cachedFreedBlocks == 1 && _Pool.containing(head).pointee.count == 0)
  }

  @Test("a class holds at most its capacity, and only blocks of full pools; the rest go back to their pools")
  func capacityBound() throws {
    let heap = Heap(raw: SystemAllocator(), options: cached)
    defer { heap.destroy() }
    let full = try allocateFullPool(heap)
    full[..<10].forEach(heap.deallocate)
    #expect(heap.cachedFreedBlocks == 4)
    #expect(_Pool.containing(full[0]).pointee.count == 31 - 6)
  }

  @Test("figures count held blocks as available without returning them; once returned, the report is CPython's")
  func figuresMatchCPython() throws {
    // Arenas at the same alignment in both heaps, so that the alignment loss matches too.
    let plainSource = TestArenaSource(placement: [4096])
    let cachingSource = TestArenaSource(placement: [4096])
    let plain = Heap(raw: SystemAllocator(), arenaSource: plainSource.arenaSource)
    let caching = Heap(
      raw: SystemAllocator(), arenaSource: cachingSource.arenaSource, options: PymallocOptions(blockCacheCapacity: 64))
    defer {
      plain.destroy()
      caching.destroy()
    }
    var generator = SeededGenerator()
    var heldBeforeFigures: [Int] = []
    for heap in [plain, caching] {
      var live: [UnsafeMutableRawPointer] = []
      generator = SeededGenerator()
      for _ in 0..<20_000 {
        if live.isEmpty || generator.next() % 3 != 0 {
          live.append(try #require(heap.allocate(byteCount: Int(generator.next() % 512) + 1)))
        } else {
          heap.deallocate(live.remove(at: Int(generator.next() % UInt64(live.count))))
        }
      }
      heldBeforeFigures.append(heap.cachedFreedBlocks)
      #expect(heap.allocatedBlocks == live.count)
    }
    #expect(heldBeforeFigures[0] == 0 && heldBeforeFigures[1] > 0)  // 19 blocks held with this seed
    // Reading the figures changes nothing: the blocks stay held, and count as available.
    let statistics = caching.statistics()
    _ = caching.statisticsReport()
    #expect(caching.cachedFreedBlocks == heldBeforeFigures[1])
    #expect(statistics.extras["blocks held by the freed-block cache"] == heldBeforeFigures[1])
    #expect(statistics.liveBlocks == plain.statistics().liveBlocks)
    #expect(statistics.allocatedBytes == plain.statistics().allocatedBytes)
    #expect(caching.reportTotals.total == caching.reportTotals.arenas * arenaSize)
    // Returned to their pools, the held blocks leave the heap exactly as CPython's.
    caching._returnCachedBlocks()
    #expect(caching.cachedFreedBlocks == 0)
    #expect(caching.statisticsReport() == plain.statisticsReport())
  }

  @Test("held blocks go back before the heap takes a new arena")
  func noGrowthWhileHolding() throws {
    let source = TestArenaSource()
    let heap = Heap(
      raw: SystemAllocator(), arenaSource: source.arenaSource, options: PymallocOptions(blockCacheCapacity: 31))
    defer { heap.destroy() }
    var pools = [try allocateFullPool(heap)]
    while heap._state.pointee.usableArenas != nil { pools.append(try allocateFullPool(heap)) }
    // One arena, every pool full. A pool's 31 blocks freed are all held: the pool is empty only once they go back.
    pools[5].forEach(heap.deallocate)
    #expect(heap.cachedFreedBlocks == 31)
    let small = try #require(heap.allocate(byteCount: 16))
    #expect(source.obtainCalls == 1 && heap.cachedFreedBlocks == 0)
    #expect(_Pool.containing(small) == _Pool.containing(pools[5][0]))
    heap.deallocate(small)
    for (index, pool) in pools.enumerated() where index != 5 { pool.forEach(heap.deallocate) }
  }

  @Test("SWIFTMALLOC_BLOCK_CACHE=K sets the capacity; a bad value keeps 0")
  func environment() {
    #expect(PymallocOptions.fromEnvironment(["SWIFTMALLOC_BLOCK_CACHE": "32"]).blockCacheCapacity == 32)
    #expect(PymallocOptions.fromEnvironment([:]).blockCacheCapacity == 0)
    for bad in ["-1", "4097", "x", "1.5"] {
      #expect(PymallocOptions.fromEnvironment(["SWIFTMALLOC_BLOCK_CACHE": bad]).blockCacheCapacity == 0)
    }
  }
}
