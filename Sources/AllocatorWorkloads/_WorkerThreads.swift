//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a threaded workload's workers on threads of their own (`pthread_create`, a context pointer per thread):
/// all wait at a start barrier, and the time is taken from the barrier to the last join.
///
/// The start is the earliest clock reading of a worker leaving the barrier, not the calling thread's: on a loaded
/// machine the caller may run again only after the workers have finished.
@usableFromInline
internal enum _WorkerThreads {
  /// Runs `body(worker, allocator)` on `count` new threads and returns the nanoseconds from the first worker's
  /// leaving the start barrier to the join of the last.
  ///
  /// Each thread calls through a copy of `allocator` with a cache of its own when the allocator caches per thread
  /// (``ThreadCachingAllocator``), taken before the barrier and released before the thread ends.
  @inlinable
  internal static func run<A: Allocator>(
    _ count: Int, sharing allocator: A, _ body: @escaping (_ worker: Int, _ allocator: A) -> Void
  ) -> UInt64 {
    let barrier = UnsafeMutablePointer<pthread_barrier_t>.allocate(capacity: 1)
    pthread_barrier_init(barrier, nil, UInt32(count + 1))
    let starts = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
    starts.initialize(repeating: .max, count: count)
    defer {
      pthread_barrier_destroy(barrier)
      barrier.deallocate()
      starts.deallocate()
    }
    let threads = (0..<count).map { worker in
      _start {
        let own = _threadCopy(of: allocator)
        pthread_barrier_wait(barrier)
        starts[worker] = MonotonicClock.nanoseconds()
        body(worker, own)
        (own as? any ThreadCachingAllocator)?.releaseThreadCache()
      }
    }
    pthread_barrier_wait(barrier)
    for thread in threads { pthread_join(thread, nil) }
    let end = MonotonicClock.nanoseconds()
    return end - UnsafeBufferPointer(start: starts, count: count).min()!
  }

  /// The copy of `allocator` a new thread calls through: one with a cache of the thread's own, or `allocator`.
  @inlinable
  internal static func _threadCopy<A: Allocator>(of allocator: A) -> A {
    guard let caching = allocator as? any ThreadCachingAllocator else { return allocator }
    return caching.withThreadCache() as? A ?? allocator
  }

  /// Starts a thread running `body`.
  @usableFromInline
  internal static func _start(_ body: @escaping () -> Void) -> pthread_t {
    let context = Unmanaged.passRetained(_ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(&thread, nil, { context in
      Unmanaged<_ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
      return nil
    }, context)
    precondition(result == 0, "pthread_create failed: error \(result)")
    return thread
  }
}
