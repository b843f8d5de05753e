//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc pools: carving, free lists, state transitions")
struct PoolTests {
  @Test("40 blocks of 500 bytes sit at pool offset 48 + k·512, 16-aligned")
  func addressArithmetic() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let blocks = try (0..<40).map { _ in try #require(heap.allocate(byteCount: 500)) }
    // 31 blocks of 512 bytes fill a pool; the rest open the next one.
    for (k, block) in blocks.enumerated() {
      #expect(Int(bitPattern: block) % 16 == 0)
      #expect(poolOffset(block) == 48 + (k % 31) * 512)
      if k % 31 != 0 { #expect(Int(bitPattern: block) - Int(bitPattern: blocks[k - 1]) == 512) }
    }
    #expect(poolBase(blocks[0]) != poolBase(blocks[31]))
    blocks.forEach(heap.deallocate)
  }

  @Test("freed blocks are reused LIFO, the first word linking to the previous head")
  func lifoReuse() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let a = try #require(heap.allocate(byteCount: 24))
    let b = try #require(heap.allocate(byteCount: 24))
    let c = try #require(heap.allocate(byteCount: 24))
    // After three allocations the free list holds the fourth, freshly carved block.
    let virgin = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: c) + 32)
    heap.deallocate(b)
    #expect(_MemoryTracking.link(of: b) == virgin)
    heap.deallocate(a)
    #expect(_MemoryTracking.link(of: a) == b)
    #expect(heap.allocate(byteCount: 30) == a)
    #expect(heap.allocate(byteCount: 17) == b)
    #expect(heap.allocate(byteCount: 32) == virgin)
    [a, b, c, virgin!].forEach(heap.deallocate)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("a full pool opens a new pool; a free in the full pool is the next block handed out")
  func fullPool() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let perPool = 34  // class 29, 480 bytes
    var blocks = try (0..<perPool).map { _ in try #require(heap.allocate(byteCount: 470)) }
    #expect(Set(blocks.map(poolBase)).count == 1)
    let pool = _Pool.containing(blocks[0])
    #expect(pool.pointee.freeBlock == nil)
    #expect(heap._state._usedPools(29).pointee.nextPool == heap._state._usedPools(29))
    let next = try #require(heap.allocate(byteCount: 480))
    #expect(poolBase(next) != poolBase(blocks[0]))
    #expect(poolOffset(next) == 48)
    heap.deallocate(blocks[10])
    #expect(heap._state._usedPools(29).pointee.nextPool == pool)
    #expect(heap.allocate(byteCount: 465) == blocks[10])
    blocks.append(next)
    blocks.forEach(heap.deallocate)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("an empty pool is reused for its class without re-initialisation")
  func emptyPoolSameClass() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let blocks = try (0..<5).map { _ in try #require(heap.allocate(byteCount: 100)) }
    let pool = _Pool.containing(blocks[0])
    let nextOffset = pool.pointee.nextOffset
    #expect(nextOffset == UInt32(48 + 6 * 112))
    blocks.forEach(heap.deallocate)
    #expect(pool.pointee.count == 0)
    #expect(heap._state.pointee.arena(at: pool.pointee.arenaIndex).pointee.freePools == pool)
    let reused = try #require(heap.allocate(byteCount: 112))
    #expect(reused == blocks[4])  // the free list survived: its head is the block freed last
    #expect(pool.pointee.nextOffset == nextOffset)
    #expect(pool.pointee.count == 1)
    heap.deallocate(reused)
  }

  @Test("an empty pool is re-initialised for another class")
  func emptyPoolOtherClass() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let blocks = try (0..<5).map { _ in try #require(heap.allocate(byteCount: 100)) }
    let pool = _Pool.containing(blocks[0])
    blocks.forEach(heap.deallocate)
    let other = try #require(heap.allocate(byteCount: 300))
    #expect(poolBase(other) == poolBase(blocks[0]))
    #expect(poolOffset(other) == 48)
    #expect(pool.pointee.sizeIndex == 18)
    #expect(pool.pointee.nextOffset == UInt32(48 + 2 * 304))
    #expect(pool.pointee.maximumNextOffset == UInt32(16384 - 304))
    #expect(heap.usableSize(of: other) == 304)
    heap.deallocate(other)
  }

  @Test("a pool hands out exactly its block count before it is full", arguments: [0, 7, 15, 31])
  func poolCapacity(sizeIndex: Int) throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let size = (sizeIndex + 1) * 16
    let count = (16384 - 48) / size
    let blocks = try (0..<count + 1).map { _ in try #require(heap.allocate(byteCount: size)) }
    #expect(Set(blocks[..<count].map(poolBase)).count == 1)
    #expect(poolBase(blocks[count]) != poolBase(blocks[0]))
    #expect(Set(blocks).count == count + 1)
    blocks.forEach(heap.deallocate)
  }
}
