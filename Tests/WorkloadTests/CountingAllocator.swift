//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Synchronization

/// Counts, from any thread, the allocations and frees a workload makes through a ``CountingAllocator``.
final class CallCounts: Sendable {
  /// Allocations that returned a block, plus frees of a block.
  let calls = Atomic<Int>(0)
  /// Blocks allocated and not yet freed.
  let live = Atomic<Int>(0)
}

/// A base allocator whose allocations and frees are counted in a ``CallCounts``; as thread-safe as the base.
struct CountingAllocator<Base: Allocator>: Allocator {
  let base: Base
  let counts: CallCounts

  var name: String { base.name }
  var isThreadSafe: Bool { base.isThreadSafe }

  func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    let block = base.allocate(byteCount: byteCount)
    if block != nil { count(live: 1) }
    return block
  }

  func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    count(live: -1)
    base.deallocate(pointer)
  }

  private func count(live change: Int) {
    counts.calls.add(1, ordering: .relaxed)
    counts.live.add(change, ordering: .relaxed)
  }

  // The threaded workloads call only the two above; the rest forward uncounted.
  func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    base.allocateZeroed(count: count, stride: stride)
  }
  func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    base.reallocate(pointer, byteCount: byteCount)
  }
  func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    base.allocate(byteCount: byteCount, alignment: alignment)
  }
  func usableSize(of pointer: UnsafeMutableRawPointer) -> Int { base.usableSize(of: pointer) }
  func statistics() -> AllocatorStatistics { base.statistics() }
}

/// Counted allocators keep the base's thread caches: each thread's copy counts into the same ``CallCounts``.
extension CountingAllocator: ThreadCachingAllocator where Base: ThreadCachingAllocator {
  func withThreadCache() -> CountingAllocator { CountingAllocator(base: base.withThreadCache(), counts: counts) }
  func releaseThreadCache() { base.releaseThreadCache() }
}
