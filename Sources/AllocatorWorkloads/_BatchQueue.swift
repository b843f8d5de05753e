//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The hand-over of `threads-remote`: a fixed set of batches of block pointers, each either empty (on a stack) or
/// full (in a FIFO queue), moved under one mutex. A producer takes an empty batch, fills it and queues it; a
/// consumer takes the oldest full one, frees its blocks and gives it back empty. One lock round trip moves
/// ``batchSize`` blocks, and the memory is made once, so the queue costs little next to the allocator.
@usableFromInline
internal final class _BatchQueue {
  /// Blocks per batch.
  @usableFromInline
  internal static let batchSize = 128

  private let _monitor = _Monitor()
  private let _batchCount: Int
  private let _slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>
  private let _counts: UnsafeMutablePointer<Int>
  private let _full: UnsafeMutablePointer<Int>
  private let _empty: UnsafeMutablePointer<Int>
  private var _fullHead = 0
  private var _fullCount = 0
  private var _emptyCount = 0
  private var _producersLeft = 0

  /// A queue of `batches` batches (at least one more than the threads using it, so none waits forever), every
  /// slot written once so that its pages are resident.
  @usableFromInline
  internal init(batches: Int) {
    _batchCount = batches
    _slots = .allocate(capacity: batches * Self.batchSize)
    _slots.initialize(repeating: nil, count: batches * Self.batchSize)
    _counts = .allocate(capacity: batches)
    _counts.initialize(repeating: 0, count: batches)
    _full = .allocate(capacity: batches)
    _full.initialize(repeating: 0, count: batches)
    _empty = .allocate(capacity: batches)
    _empty.initialize(repeating: 0, count: batches)
  }

  deinit {
    _monitor.destroy()
    _slots.deallocate()
    _counts.deallocate()
    _full.deallocate()
    _empty.deallocate()
  }

  /// Every batch empty, `producers` producers to come. Call while no thread uses the queue.
  @usableFromInline
  internal func reset(producers: Int) {
    for batch in 0..<_batchCount { _empty[batch] = batch }
    _emptyCount = _batchCount
    _fullHead = 0
    _fullCount = 0
    _producersLeft = producers
  }

  /// The slots of `batch`, ``batchSize`` of them.
  @usableFromInline
  internal func slots(of batch: Int) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
    _slots + batch * Self.batchSize
  }

  /// An empty batch, waiting for one if none is.
  @usableFromInline
  internal func takeEmpty() -> Int {
    _monitor.withLock(waitingWhile: { _emptyCount == 0 }) {
      _emptyCount -= 1
      return _empty[_emptyCount]
    }
  }

  /// Queues `batch` with its first `count` slots filled.
  @usableFromInline
  internal func pushFull(_ batch: Int, count: Int) {
    _monitor.withLock {
      _counts[batch] = count
      _full[(_fullHead + _fullCount) % _batchCount] = batch
      _fullCount += 1
    }
  }

  /// The oldest full batch and its count, waiting while none is queued and a producer is still at work; `nil`
  /// once every producer has finished and the queue is drained.
  @usableFromInline
  internal func popFull() -> (batch: Int, count: Int)? {
    _monitor.withLock(waitingWhile: { _fullCount == 0 && _producersLeft > 0 }) {
      guard _fullCount > 0 else { return nil }
      let batch = _full[_fullHead]
      _fullHead = (_fullHead + 1) % _batchCount
      _fullCount -= 1
      return (batch, _counts[batch])
    }
  }

  /// Gives a batch whose blocks were freed back to the empty ones.
  @usableFromInline
  internal func returnEmpty(_ batch: Int) {
    _monitor.withLock {
      _empty[_emptyCount] = batch
      _emptyCount += 1
    }
  }

  /// Records that one producer has queued its last batch.
  @usableFromInline
  internal func producerFinished() {
    _monitor.withLock { _producersLeft -= 1 }
  }
}
