//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc size classes and raw requests")
struct SizeClassTests {
  @Test("the pool header is 48 bytes, as CPython's on 64-bit")
  func poolHeaderLayout() {
    #expect(MemoryLayout<_PoolHeader>.size == 48)
    #expect(MemoryLayout<_ArenaMapLeaf>.size == 8)
  }

  @Test("blocks per pool match the spec's table")
  func blocksPerPoolTable() {
    let expected = [
      1021, 510, 340, 255, 204, 170, 145, 127, 113, 102, 92, 85, 78, 72, 68, 63, 60, 56, 53, 51, 48, 46, 44, 42, 40,
      39, 37, 36, 35, 34, 32, 31,
    ]
    #expect((0..<32).map(_SizeClass.blocksPerPool(ofIndex:)) == expected)
  }

  @Test(
    "a request maps to its class's block size",
    arguments: [(1, 16), (16, 16), (17, 32), (32, 32), (496, 496), (497, 512), (512, 512)])
  func classBoundary(request: Int, blockSize: Int) throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: request))
    #expect(heap.usableSize(of: block) == blockSize)
    #expect(heap.ownership(of: block) == .blockStart)
    #expect(poolOffset(block) == 48)
    #expect(Int(bitPattern: block) % 16 == 0)
    #expect(heap.allocatedBlocks == 1)
    #expect(heap.statistics().extras["raw allocated blocks"] == 0)
    #expect(heap.statistics().allocatedBytes == blockSize)
    heap.deallocate(block)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("0 and 513 bytes go to the raw allocator and count as raw blocks", arguments: [0, 513, 4000])
  func rawRequest(request: Int) throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: request))
    #expect(heap.ownership(of: block) == .foreign)
    #expect(heap.allocatedBlocks == 1)
    #expect(heap.statistics().extras["raw allocated blocks"] == 1)
    #expect(heap.statistics().extras["arenas allocated current"] == 0)
    heap.deallocate(block)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("bad sizes and alignments return nil without touching live blocks")
  func badRequests() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let live = try #require(heap.allocate(byteCount: 100))
    fill(live, byteCount: 100, seed: 7)
    #expect(heap.allocate(byteCount: -1) == nil)
    #expect(heap.allocate(byteCount: Int.min) == nil)
    #expect(heap.allocate(byteCount: Int.max) == nil)
    #expect(heap.allocateZeroed(count: Int.max, stride: 2) == nil)
    #expect(heap.allocateZeroed(count: -1, stride: 16) == nil)
    #expect(heap.allocate(byteCount: 16, alignment: 3) == nil)
    #expect(heap.allocate(byteCount: 16, alignment: 0) == nil)
    #expect(heap.allocate(byteCount: 16, alignment: 1 << 20) == nil)
    #expect(heap.reallocate(live, byteCount: -5) == nil)
    #expect(heap.reallocate(live, byteCount: Int.max) == nil)
    heap.deallocate(nil)
    #expect(holdsPattern(live, byteCount: 100, seed: 7))
    #expect(heap.allocatedBlocks == 1)
    heap.deallocate(live)
  }

  @Test("alignment up to 16 is a pool block; larger alignments come from the raw allocator")
  func alignedAllocation() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let small = try #require(heap.allocate(byteCount: 40, alignment: 16))
    #expect(heap.ownership(of: small) == .blockStart)
    let wide = try #require(heap.allocate(byteCount: 40, alignment: 4096))
    #expect(Int(bitPattern: wide) % 4096 == 0)
    #expect(heap.ownership(of: wide) == .foreign)
    #expect(heap.statistics().extras["raw allocated blocks"] == 1)
    heap.deallocate(wide)
    heap.deallocate(small)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("calloc zeroes pool and raw blocks")
  func zeroedAllocation() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    // Dirty a block, free it, and get the same block back zeroed.
    let dirty = try #require(heap.allocate(byteCount: 64))
    memset(dirty, 0xEE, 64)
    heap.deallocate(dirty)
    let zeroed = try #require(heap.allocateZeroed(count: 8, stride: 8))
    #expect(zeroed == dirty)
    #expect((0..<64).allSatisfy { zeroed.load(fromByteOffset: $0, as: UInt8.self) == 0 })
    let large = try #require(heap.allocateZeroed(count: 100, stride: 10))
    #expect(heap.ownership(of: large) == .foreign)
    #expect((0..<1000).allSatisfy { large.load(fromByteOffset: $0, as: UInt8.self) == 0 })
    let empty = try #require(heap.allocateZeroed(count: 0, stride: 16))
    #expect(heap.ownership(of: empty) == .foreign)
    #expect(heap.allocatedBlocks == 3)
    heap.deallocate(zeroed)
    heap.deallocate(large)
    heap.deallocate(empty)
    #expect(heap.allocatedBlocks == 0)
  }
}
