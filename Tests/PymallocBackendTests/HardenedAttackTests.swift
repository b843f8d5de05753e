//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

/// The six heap-corruption attacks of issue 17, each run against both heaps with the hardened mode on (the attack is
/// detected and the attacker's block is never handed out) and off (the attack works, so the test can fail).
@Suite("hardened pymalloc: the six attacks, on the single-owner and the concurrent heap",
  .disabled(if: _MemoryTracking.poisonsForAddressSanitizer, "writes into freed blocks, which ASan reports first"))
struct HardenedAttackTests {
  /// The request size of every attack: class 2, 48-byte blocks.
  static let request = 40
  static let blockSize = 48

  @Test("a freed block's next pointer overwritten, then allocations of its class", arguments: AttackedHeap.cases)
  func nextPointerOverwrite(heap: AttackedHeap) throws {
    try heap.run { allocator, target in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      let b = try #require(allocator.allocate(byteCount: Self.request))
      allocator.deallocate(b)
      allocator.deallocate(a)  // list: a → b
      a.storeBytes(of: target, as: UnsafeMutableRawPointer.self)  // use after free: a's link now names the target
      return (0..<3).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, target, reports in
      heap.hardened
        ? reports.map(\.kind) == [.corruptFreeList] && !handedOut.contains(target)
        : handedOut.contains(target)
    }
  }

  @Test("a double free, then two allocations", arguments: AttackedHeap.cases)
  func doubleFree(heap: AttackedHeap) throws {
    try heap.run { allocator, _ in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      allocator.deallocate(a)
      allocator.deallocate(a)
      return (0..<2).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, _, reports in
      heap.hardened
        ? reports.map(\.kind) == [.doubleFree] && Set(handedOut).count == 2
        : Set(handedOut).count == 1  // the same block handed out twice
    }
  }

  @Test("a free of a forged pointer inside a live pool (a block boundary not yet carved)", arguments: AttackedHeap.cases)
  func forgedPointer(heap: AttackedHeap) throws {
    try heap.run { allocator, _ in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      allocator.deallocate(a + 8 * Self.blockSize)
      return [a] + (0..<12).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, _, reports in
      heap.hardened
        ? reports.map(\.kind) == [.notABlock] && Set(handedOut).count == handedOut.count
        : Set(handedOut).count < handedOut.count  // the forged block, then the same block carved again
    }
  }

  @Test("a free of an interior pointer", arguments: AttackedHeap.cases)
  func interiorPointer(heap: AttackedHeap) throws {
    try heap.run { allocator, _ in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      allocator.deallocate(a + 16)
      return [a] + (0..<2).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, _, reports in
      let a = handedOut[0]
      return heap.hardened
        ? reports.map(\.kind) == [.notABlock] && !handedOut.contains(a + 16)
        : handedOut.contains(a + 16)  // a block overlapping a live one
    }
  }

  @Test("a linear overflow from one block into a freed neighbour's link", arguments: AttackedHeap.cases)
  func linearOverflow(heap: AttackedHeap) throws {
    try heap.run { allocator, target in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      let b = try #require(allocator.allocate(byteCount: Self.request))
      #expect(b == a + Self.blockSize)
      allocator.deallocate(b)
      // A copy of 56 bytes into a 40-byte request: the last 8 land on b's link.
      var payload = [UInt8](repeating: 0x41, count: Self.blockSize + 8)
      withUnsafeBytes(of: target) { payload.replaceSubrange(Self.blockSize..., with: $0) }
      payload.withUnsafeBytes { a.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
      return (0..<3).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, target, reports in
      heap.hardened
        ? reports.map(\.kind) == [.corruptFreeList] && !handedOut.contains(target)
        : handedOut.contains(target)
    }
  }

  @Test("a pool header overwrite: the free-list head set to an arbitrary address", arguments: AttackedHeap.cases)
  func poolHeaderOverwrite(heap: AttackedHeap) throws {
    try heap.run { allocator, target in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      let b = try #require(allocator.allocate(byteCount: Self.request))
      allocator.deallocate(b)
      _Pool.containing(a).pointee.freeBlock = target
      return (0..<2).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, target, reports in
      heap.hardened
        ? reports.map(\.kind) == [.corruptFreeList] && !handedOut.contains(target)
        : handedOut.contains(target)
    }
  }

  @Test("a pool header's size class overwritten: the next free through it is refused", arguments: AttackedHeap.cases)
  func poolSizeClassOverwrite(heap: AttackedHeap) throws {
    try heap.run { allocator, _ in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      let b = try #require(allocator.allocate(byteCount: Self.request))
      _Pool.containing(a).pointee.sizeIndex = 0  // 16-byte blocks: a free of a + 16 would now look valid
      allocator.deallocate(a + 16)
      return [a, b] + (0..<1).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, _, reports in
      let a = handedOut[0]
      return heap.hardened
        ? reports.map(\.kind) == [.corruptPoolHeader] && !handedOut.contains(a + 16)
        : handedOut.contains(a + 16)  // a block overlapping a live one
    }
  }

  @Test("a pool header's size class overwritten: allocations refuse the blocks it carves", arguments: AttackedHeap.cases)
  func poolSizeClassOverwriteOnAllocation(heap: AttackedHeap) throws {
    try heap.run { allocator, _ in
      let a = try #require(allocator.allocate(byteCount: Self.request))
      _Pool.containing(a).pointee.sizeIndex = 0  // the pool now carves 16-byte steps for 48-byte requests
      return [a] + (0..<4).compactMap { _ in allocator.allocate(byteCount: Self.request) }
    } expect: { handedOut, _, reports in
      let sorted = handedOut.sorted()
      let overlap = zip(sorted, sorted.dropFirst()).contains { $1 - $0 < Self.blockSize }
      return heap.hardened ? reports.map(\.kind) == [.corruptFreeList] && !overlap : overlap
    }
  }
}

/// A heap under attack: single-owner or concurrent, hardened or not.
struct AttackedHeap: CustomTestStringConvertible, Sendable {
  var concurrent: Bool
  var hardened: Bool

  static let cases = [false, true].flatMap { concurrent in
    [false, true].map { AttackedHeap(concurrent: concurrent, hardened: $0) }
  }

  var testDescription: String { (concurrent ? "pymalloc_mt" : "pymalloc") + (hardened ? "+harden" : "") }

  /// Runs `attack` on a fresh heap with a zeroed 64-byte target outside it, then checks `expect` on the blocks the
  /// attack got, the target and the corruption reports. The heap is destroyed without freeing what the attack
  /// left (with hardening off it is corrupt).
  func run(
    _ attack: (any Allocator, UnsafeMutableRawPointer) throws -> [UnsafeMutableRawPointer],
    expect: ([UnsafeMutableRawPointer], UnsafeMutableRawPointer, [HeapCorruption]) -> Bool
  ) throws {
    let target = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
    target.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
    defer { target.deallocate() }
    let log = CorruptionLog()
    let options = PymallocOptions(hardened: hardened, corruptionHandler: { log.reports.append($0) })
    let allocator: any Allocator
    let destroy: () -> Void
    if concurrent {
      let heap = ConcurrentPymallocHeap(raw: SystemAllocator(), options: options)
      (allocator, destroy) = (heap, heap.destroy)
    } else {
      let heap = PymallocHeap(raw: SystemAllocator(), options: options)
      (allocator, destroy) = (heap, heap.destroy)
    }
    defer { destroy() }
    let handedOut = try attack(allocator, target)
    #expect(expect(handedOut, target, log.reports), "handed out \(handedOut), reports \(log.reports)")
    if hardened {  // the heap carries on
      let after = (0..<4).compactMap { _ in allocator.allocate(byteCount: 40) }
      #expect(after.count == 4 && !after.contains(target))
    }
  }
}

/// The reports a handler received.
final class CorruptionLog {
  var reports: [HeapCorruption] = []
}
