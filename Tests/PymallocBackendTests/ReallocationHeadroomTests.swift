//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc realloc headroom option")
struct ReallocationHeadroomTests {
  static var headroom: PymallocOptions { PymallocOptions(reallocationHeadroom: true) }

  /// Grows a block from 8 to 512 bytes in steps of 8, checking the contents at each step; returns the sizes at
  /// which it moved and the block sizes it moved to.
  private func growthMoves(_ heap: Heap) throws -> [(byteCount: Int, blockSize: Int)] {
    var moves: [(byteCount: Int, blockSize: Int)] = []
    var block = try #require(heap.allocate(byteCount: 8))
    fill(block, byteCount: 8, seed: 9)
    for byteCount in stride(from: 16, through: 512, by: 8) {
      let grown = try #require(heap.reallocate(block, byteCount: byteCount))
      #expect(holdsPattern(grown, byteCount: byteCount - 8, seed: 9))
      fill(grown, byteCount: byteCount, seed: 9)
      if grown != block { moves.append((byteCount, heap.usableSize(of: grown))) }
      block = grown
    }
    heap.deallocate(block)
    #expect(heap.allocatedBlocks == 0)
    return moves
  }

  @Test("off (CPython): growing 8 → 512 by 8 moves once per class, to the exact class")
  func offMovesPerClass() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let moves = try growthMoves(heap)
    #expect(moves.map(\.byteCount) == Array(stride(from: 24, through: 512, by: 16)))
    #expect(moves.allSatisfy { $0.blockSize == $0.byteCount + 8 })
  }

  @Test("on: growing 8 → 512 by 8 moves 6 times, each time to the class of 1.5 × n (at most 512)")
  func onMovesGeometrically() throws {
    let heap = Heap(raw: SystemAllocator(), options: Self.headroom)
    defer { heap.destroy() }
    let moves = try growthMoves(heap)
    #expect(moves.map(\.byteCount) == [24, 56, 104, 168, 264, 408])
    #expect(moves.map(\.blockSize) == [48, 96, 160, 256, 400, 512])
  }

  @Test("on: a block stays for every size a growing move could have given it, and shrinks exactly below that")
  func onInPlaceAndShrink() throws {
    let heap = Heap(raw: SystemAllocator(), options: Self.headroom)
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 48))
    fill(block, byteCount: 48, seed: 4)
    #expect(heap.reallocate(block, byteCount: 32) == block)  // class(48) = 48: CPython would move (128 ≤ 144)
    #expect(heap.reallocate(block, byteCount: 24) == block)  // class(36) = 48
    let shrunk = try #require(heap.reallocate(block, byteCount: 20))  // class(30) = 32 < 48: moves to class(20)
    #expect(shrunk != block && heap.usableSize(of: shrunk) == 32)
    #expect(holdsPattern(shrunk, byteCount: 20, seed: 4))
    let zero = try #require(heap.reallocate(shrunk, byteCount: 0))  // 0 bytes: moves, as in CPython
    #expect(zero != shrunk)
    heap.deallocate(zero)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("on: a pool block outgrowing 512 bytes goes to the raw allocator at its exact size")
  func onLargeGoesRaw() throws {
    let heap = Heap(raw: SystemAllocator(), options: Self.headroom)
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 400))
    fill(block, byteCount: 400, seed: 6)
    let large = try #require(heap.reallocate(block, byteCount: 600))
    #expect(heap.ownership(of: large) == .foreign && holdsPattern(large, byteCount: 400, seed: 6))
    #expect(heap.usableSize(of: large) >= 600 && heap.usableSize(of: large) < 900)
    #expect(heap.reallocate(large, byteCount: AllocationLimits.maximumByteCount + 1) == nil)
    #expect(holdsPattern(large, byteCount: 400, seed: 6))
    heap.deallocate(large)
  }
}
