//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The hand-over of `threads-larson`: a ring of mailboxes, one per worker, each holding at most one slot array.
/// After a round a worker puts its array in the next worker's mailbox and takes the one its predecessor left, so
/// in round r worker w churns the array worker w − r started with, whose blocks other threads allocated.
///
/// No deadlock: a worker waits to put only while the next mailbox is still full, and to take only while its own is
/// empty; all mailboxes full with every worker still holding an array would need twice as many arrays as workers.
@usableFromInline
internal final class _SlotHandover {
  private static let vacant = -1
  private let _monitor = _Monitor()
  private let _mailboxes: UnsafeMutablePointer<Int>
  private let _count: Int

  /// A ring of `workers` empty mailboxes.
  @usableFromInline
  internal init(workers: Int) {
    _count = workers
    _mailboxes = .allocate(capacity: workers)
    _mailboxes.initialize(repeating: Self.vacant, count: workers)
  }

  deinit {
    _monitor.destroy()
    _mailboxes.deallocate()
  }

  /// Worker `worker` hands `array` on and returns the array its predecessor handed it.
  @usableFromInline
  internal func pass(_ array: Int, from worker: Int) -> Int {
    let next = (worker + 1) % _count
    _monitor.withLock(waitingWhile: { _mailboxes[next] != Self.vacant }) { _mailboxes[next] = array }
    return _monitor.withLock(waitingWhile: { _mailboxes[worker] == Self.vacant }) {
      defer { _mailboxes[worker] = Self.vacant }
      return _mailboxes[worker]
    }
  }
}
