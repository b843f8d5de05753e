//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Glibc
import Synchronization

/// What a ``ProbeAllocator`` saw: how many calls were inside it at once, at most, and a gate its calls may wait at.
final class ProbeState: Sendable {
  /// Calls inside the probe now.
  let inside = Atomic<Int>(0)
  /// The most calls seen inside at once.
  let mostInside = Atomic<Int>(0)
  /// Calls that have entered so far.
  let entered = Atomic<Int>(0)
  /// While `true`, a call waits inside until it is opened.
  let gateClosed = Atomic<Bool>(false)
}

/// A single-owner allocator that records overlapping calls instead of serving memory: each `allocate` enters, spins
/// a little (or waits at the closed gate) and leaves, returning the same dummy address.
struct ProbeAllocator: Allocator {
  let state: ProbeState

  var name: String { "probe" }
  var isThreadSafe: Bool { false }

  func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    let now = state.inside.add(1, ordering: .sequentiallyConsistent).newValue
    state.mostInside.max(now, ordering: .sequentiallyConsistent)
    state.entered.add(1, ordering: .sequentiallyConsistent)
    if state.gateClosed.load(ordering: .sequentiallyConsistent) {
      while state.gateClosed.load(ordering: .sequentiallyConsistent) { sched_yield() }
    } else {
      for _ in 0..<200 { sched_yield() }
    }
    state.inside.subtract(1, ordering: .sequentiallyConsistent)
    return UnsafeMutableRawPointer(bitPattern: 0x1000)
  }

  func deallocate(_ pointer: UnsafeMutableRawPointer?) {}
  func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? { nil }
  func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? { nil }
  func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? { nil }
  func usableSize(of pointer: UnsafeMutableRawPointer) -> Int { 0 }
  func statistics() -> AllocatorStatistics {
    AllocatorStatistics(
      backend: name, liveBlocks: nil, allocatedBytes: 0, liveRequestedBytes: nil, mappedBytes: 0, residentBytes: nil)
  }
}
