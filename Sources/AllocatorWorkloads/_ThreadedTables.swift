//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What the threaded workloads' threads share, made and written through once with the runner, so that its pages
/// are resident before a child reads its baseline RSS: the size table, the slot arrays, each worker's counters and
/// the two hand-overs.
@usableFromInline
internal final class _ThreadedTables {
  /// The request sizes, from the spec's size mix; worker w of T starts at w/T of the way through.
  @usableFromInline
  internal let sizes: UnsafeBufferPointer<Int>
  /// `threads` slot arrays of `liveSlots` slots each, one after the other.
  @usableFromInline
  internal let slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>
  /// One cache line of counters per worker.
  @usableFromInline
  internal let counters: UnsafeMutablePointer<_WorkerCounters>
  /// `threads-remote`'s batches.
  @usableFromInline
  internal let queue: _BatchQueue
  /// `threads-larson`'s ring of mailboxes.
  @usableFromInline
  internal let handover: _SlotHandover
  private let _slotCount: Int
  private let _threads: Int

  @usableFromInline
  internal init(sizes: [Int], threads: Int, liveSlots: Int) {
    let sizeTable = UnsafeMutableBufferPointer<Int>.allocate(capacity: sizes.count)
    _ = sizeTable.initialize(from: sizes)
    self.sizes = UnsafeBufferPointer(sizeTable)
    _threads = threads
    _slotCount = threads * liveSlots
    slots = .allocate(capacity: _slotCount)
    slots.initialize(repeating: nil, count: _slotCount)
    counters = _WorkerCounters.allocate(count: threads)
    queue = _BatchQueue(batches: max(16, 2 * threads))
    handover = _SlotHandover(workers: threads)
  }

  deinit {
    sizes.deallocate()
    slots.deallocate()
    counters.deinitialize(count: _threads)
    UnsafeMutableRawPointer(counters).deallocate()
  }

  /// Zeroes every worker's counters before a run.
  @usableFromInline
  internal func resetCounters() {
    counters.update(repeating: _WorkerCounters(), count: _threads)
  }

  /// The counters of every worker after a run.
  @usableFromInline
  internal var workerCounters: [_WorkerCounters] {
    Array(UnsafeBufferPointer(start: counters, count: _threads))
  }
}
