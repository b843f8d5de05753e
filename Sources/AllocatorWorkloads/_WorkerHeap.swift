//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// One worker thread's view of the shared allocator: its allocations filled and its frees checked by `Touch`, its
/// sizes drawn in turn from the run's size table, starting at a place of its own.
@usableFromInline
internal struct _WorkerHeap<A: Allocator, Touch: _BlockTouch> {
  /// The allocator this thread calls (its own copy when the allocator caches per thread).
  @usableFromInline
  internal let allocator: A
  /// The worker's number, 0-based.
  @usableFromInline
  internal let worker: Int
  /// The worker's counters.
  @usableFromInline
  internal let counters: UnsafeMutablePointer<_WorkerCounters>
  @usableFromInline
  internal let _sizes: UnsafeBufferPointer<Int>
  @usableFromInline
  internal var _nextSize: Int

  /// Worker `worker` of `workers`, whose sizes start at its share's beginning in `sizes`.
  @inlinable
  internal init(
    allocator: A, worker: Int, of workers: Int, sizes: UnsafeBufferPointer<Int>,
    counters: UnsafeMutablePointer<_WorkerCounters>
  ) {
    self.allocator = allocator
    self.worker = worker
    self.counters = counters
    _sizes = sizes
    _nextSize = sizes.count * worker / workers
  }

  /// Allocates a block of the next size and fills it.
  @inlinable
  @inline(__always)
  internal mutating func allocate() -> UnsafeMutableRawPointer? {
    let size = _sizes[_nextSize]
    _nextSize = _nextSize + 1 == _sizes.count ? 0 : _nextSize + 1
    let block = allocator.allocate(byteCount: size)
    if let block { Touch.fill(block, size: size, owner: worker) }
    return block
  }

  /// Checks a block and frees it; `nil` (a refused allocation) is skipped.
  @inlinable
  @inline(__always)
  internal func free(_ block: UnsafeMutableRawPointer?) {
    guard let block else { return }
    Touch.check(block, freer: worker, counters: counters)
    allocator.deallocate(block)
  }
}
