//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#endif

/// A `pthread_mutex_t` with one condition variable, for the threaded workloads' hand-overs (a few calls per batch
/// or round, never per block).
@usableFromInline
internal struct _Monitor {
  internal let _mutex: UnsafeMutablePointer<pthread_mutex_t>
  internal let _condition: UnsafeMutablePointer<pthread_cond_t>

  internal init() {
    _mutex = .allocate(capacity: 1)
    _condition = .allocate(capacity: 1)
    pthread_mutex_init(_mutex, nil)
    pthread_cond_init(_condition, nil)
  }

  /// Releases the mutex and the condition; no thread may be using them.
  internal func destroy() {
    pthread_cond_destroy(_condition)
    pthread_mutex_destroy(_mutex)
    _condition.deallocate()
    _mutex.deallocate()
  }

  /// Runs `body` holding the mutex, waiting (the mutex released meanwhile) for as long as `mustWait` says; every
  /// waiter is woken afterwards, since `body` may have changed what they wait for.
  internal func withLock<Result>(waitingWhile mustWait: () -> Bool = { false }, _ body: () -> Result) -> Result {
    pthread_mutex_lock(_mutex)
    defer {
      pthread_cond_broadcast(_condition)
      pthread_mutex_unlock(_mutex)
    }
    while mustWait() { pthread_cond_wait(_condition, _mutex) }
    return body()
  }
}
