//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation
import SystemBackend
import Testing

@testable import PymallocBackend

/// A wrong access into a pymalloc arena that AddressSanitizer must report, in a heap of its own.
enum Trespass: String, CaseIterable, Codable, Sendable {
  /// One byte past a 32-byte block, into its freed neighbour.
  case overflowIntoFreedNeighbour
  /// One byte past a 20-byte request, inside its 32-byte block.
  case pastTheRequest
  /// One byte past 28 bytes a 32-byte request was shrunk to in place.
  case pastAnInPlaceShrink
  /// A read of a freed block.
  case readAfterFree
  /// The first never-carved block of a pool.
  case virginBlock
  /// A pool above the carved ones, past its header.
  case neverCarvedPool

  /// Whether the access is a read (else a one-byte write).
  var isRead: Bool { self == .readAfterFree }

  /// Allocates what the trespass needs and returns the address it touches.
  func address(in heap: Heap) -> UnsafeMutableRawPointer {
    let first = heap.allocate(byteCount: self == .pastTheRequest ? 20 : 32)!
    let second = heap.allocate(byteCount: 32)!
    switch self {
    case .overflowIntoFreedNeighbour:
      heap.deallocate(second)
      return first + 32
    case .pastTheRequest:
      return first + 20
    case .pastAnInPlaceShrink:
      precondition(heap.reallocate(first, byteCount: 28) == first, "a shrink by 4 of 32 bytes stays in place")
      heap.deallocate(second)  // a live neighbour would make ASan call the partly open granule an unknown-crash
      return first + 28
    case .readAfterFree:
      heap.deallocate(first)
      return first + 8
    case .virginBlock:
      return second + 2 * 32  // the pool's third block is on the free list, its fourth never carved
    case .neverCarvedPool:
      return UnsafeMutableRawPointer(_Pool.containing(first)) + poolSize + 64
    }
  }

  /// Performs the access; AddressSanitizer ends the process inside. (At `-Onone` `load(as:)` would run the
  /// standard library's uninstrumented generic code; `pointee` is inlined and instrumented.)
  func commit(at address: UnsafeMutableRawPointer) {
    if isRead {
      print("read \(address.assumingMemoryBound(to: UInt8.self).pointee)")
    } else {
      address.storeBytes(of: 0x78, as: UInt8.self)
    }
  }
}

/// An address as AddressSanitizer prints it.
func sanitizerSpelling(_ address: UnsafeMutableRawPointer) -> String {
  "0x" + String(UInt(bitPattern: address), radix: 16)
}

@Suite(
  "AddressSanitizer sees inside pymalloc's arenas (make asan)",
  .enabled(if: _MemoryTracking.poisonsForAddressSanitizer, "built without -DSWIFTMALLOC_ASAN"))
struct SanitizerPoisoningTests {
  @Test("A wrong access is reported as a use-after-poison at its address", arguments: Trespass.allCases)
  func reported(trespass: Trespass) async throws {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [trespass] in
      let heap = Heap(raw: SystemAllocator())
      let address = trespass.address(in: heap)
      FileHandle.standardError.write(Data("touching \(sanitizerSpelling(address))\n".utf8))
      trespass.commit(at: address)
    }
    let report = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    let address = try #require(report.firstMatch(of: /touching (0x[0-9a-f]+)\n/)?.output.1)
    let access = trespass.isRead ? "READ" : "WRITE"
    #expect(report.contains("AddressSanitizer: use-after-poison on address \(address)"), "\(report)")
    #expect(report.contains("\(access) of size 1 at \(address)"))
  }

  /// memset and memchr, which ASan checks whatever the optimisation level, touch every byte.
  @Test("Every byte the heap hands out, and the whole block once usableSize is asked, is usable")
  func handedOutIsUsable() async {
    await #expect(processExitsWith: .success) {
      let heap = Heap(raw: SystemAllocator())
      let block = heap.allocate(byteCount: 20)!
      memset(block, 1, 20)
      let grown = heap.reallocate(block, byteCount: 30)!
      precondition(grown == block, "30 bytes fit the 32-byte block in place")
      memset(grown, 2, 30)
      memset(grown, 3, heap.usableSize(of: grown))
      let zeroed = heap.allocateZeroed(count: 3, stride: 100)!
      precondition(memchr(zeroed, 1, 300) == nil)
      heap.deallocate(zeroed)
      heap.deallocate(grown)
      let reused = heap.allocate(byteCount: 32)!
      memset(reused, 4, 32)
      heap.deallocate(reused)
      heap.destroy()
    }
  }
}
