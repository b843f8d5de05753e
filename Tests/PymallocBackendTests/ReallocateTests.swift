//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc realloc matrix")
struct ReallocateTests {
  @Test("512 → 385 stays in place (1540 > 1536)")
  func shrinkInPlace() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 512))
    #expect(heap.reallocate(block, byteCount: 385) == block)
    #expect(heap.reallocate(block, byteCount: 512) == block)
    heap.deallocate(block)
  }

  @Test("512 → 384 moves to class 23 and copies 384 bytes")
  func shrinkMoves() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 512))
    fill(block, byteCount: 512, seed: 3)
    let moved = try #require(heap.reallocate(block, byteCount: 384))
    #expect(moved != block)
    #expect(heap.usableSize(of: moved) == 384)
    #expect(holdsPattern(moved, byteCount: 384, seed: 3))
    #expect(heap.allocatedBlocks == 1)
    heap.deallocate(moved)
  }

  @Test("growth within the class stays; growth across classes moves and copies the whole block")
  func growWithinAndAcross() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 370))
    fill(block, byteCount: 370, seed: 5)
    #expect(heap.reallocate(block, byteCount: 384) == block)
    fill(block, byteCount: 384, seed: 5)
    let moved = try #require(heap.reallocate(block, byteCount: 400))
    #expect(moved != block)
    #expect(heap.usableSize(of: moved) == 400)
    #expect(holdsPattern(moved, byteCount: 384, seed: 5))
    heap.deallocate(moved)
  }

  @Test("growth past 512 moves to the raw allocator; a raw block shrunk to a small size stays raw")
  func growToRawAndBack() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 200))
    fill(block, byteCount: 200, seed: 9)
    let large = try #require(heap.reallocate(block, byteCount: 4000))
    #expect(heap.ownership(of: large) == .foreign)
    #expect(holdsPattern(large, byteCount: 200, seed: 9))
    #expect(heap.statistics().extras["raw allocated blocks"] == 1)
    let small = try #require(heap.reallocate(large, byteCount: 100))
    #expect(heap.ownership(of: small) == .foreign)
    #expect(holdsPattern(small, byteCount: 100, seed: 9))
    #expect(heap.allocatedBlocks == 1)
    heap.deallocate(small)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("realloc to 0 moves a pool block to a distinct raw block; realloc of nil allocates")
  func zeroAndNil() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 48))
    let zero = try #require(heap.reallocate(block, byteCount: 0))
    #expect(heap.ownership(of: zero) == .foreign)
    #expect(heap.allocatedBlocks == 1)
    let fresh = try #require(heap.reallocate(nil, byteCount: 48))
    #expect(heap.ownership(of: fresh) == .blockStart)
    #expect(fresh == block)  // the block freed by the move is the class's free-list head
    #expect(heap.allocatedBlocks == 2)
    heap.deallocate(zero)
    heap.deallocate(fresh)
  }

  @Test("a failed move returns nil and leaves the old block valid and unchanged")
  func failureKeepsBlock() throws {
    let failSwitch = FailSwitch()
    let heap = PymallocHeap(raw: FailingRawAllocator(failSwitch: failSwitch))
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 300))
    fill(block, byteCount: 300, seed: 11)
    let rawBlock = try #require(heap.allocate(byteCount: 1000))
    fill(rawBlock, byteCount: 1000, seed: 12)
    failSwitch.failing = true
    #expect(heap.reallocate(block, byteCount: 5000) == nil)
    #expect(heap.reallocate(rawBlock, byteCount: 5000) == nil)
    #expect(heap.allocate(byteCount: 600) == nil)
    failSwitch.failing = false
    #expect(holdsPattern(block, byteCount: 300, seed: 11))
    #expect(holdsPattern(rawBlock, byteCount: 1000, seed: 12))
    #expect(heap.ownership(of: block) == .blockStart)
    #expect(heap.allocatedBlocks == 2)
    heap.deallocate(block)
    heap.deallocate(rawBlock)
    #expect(heap.allocatedBlocks == 0)
  }
}
