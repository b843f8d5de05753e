//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#endif

/// A single-owner allocator behind one `pthread_mutex_t`, so that any thread may call it: every call takes the
/// mutex, calls the base and releases it — what the C ABI's `sm_object_*` functions do with the process heap.
///
/// Generic over the base, so each call is the base's inlined fast path between a lock and an unlock; nothing is
/// looked up per call. Copies share the mutex. When the base runs under the debug hooks, each call hands the heap
/// to the calling thread for its duration (``DebugContext/setHolderToCurrentThread()``), as CPython's GIL would.
///
///     let locked = LockedAllocator(heap)        // heap: a PymallocHeap, isThreadSafe == false
///     defer { locked.destroy() }
///     // any number of threads: locked.allocate(byteCount: 32) …
@frozen
public struct LockedAllocator<Base: Allocator>: Allocator {
  /// The allocator the mutex guards.
  public let base: Base
  @usableFromInline
  internal let _mutex: UnsafeMutablePointer<pthread_mutex_t>
  @usableFromInline
  internal let _heapHolder: DebugContext?

  /// Puts `base` behind a new mutex.
  ///
  /// - Parameters:
  ///   - base: The allocator to guard; from now on only through this value.
  ///   - context: The debug hooks' state of `base`'s set, if it has one: each call makes its thread the holder.
  public init(_ base: Base, handingHeapTo context: DebugContext? = nil) {
    self.base = base
    _heapHolder = context
    _mutex = .allocate(capacity: 1)
    pthread_mutex_init(_mutex, nil)
  }

  /// Releases the mutex and hands the heap back to the calling thread. No call may be in progress, and the
  /// allocator (every copy) is invalid afterwards; the base stays valid.
  public func destroy() {
    pthread_mutex_destroy(_mutex)
    _mutex.deallocate()
    _heapHolder?.setHolderToCurrentThread()
  }

  /// Runs `body` holding the mutex (and, under the debug hooks, the heap).
  @inlinable
  @inline(__always)
  internal func _locked<Result>(_ body: () -> Result) -> Result {
    pthread_mutex_lock(_mutex)
    _heapHolder?.setHolderToCurrentThread()
    defer {
      _heapHolder?.clearHolder()
      pthread_mutex_unlock(_mutex)
    }
    return body()
  }

  /// The base's name.
  public var name: String { base.name }

  /// Always `true`: the mutex serializes the calls.
  public var isThreadSafe: Bool { true }

  @inlinable
  public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    _locked { base.allocate(byteCount: byteCount) }
  }

  @inlinable
  public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    _locked { base.allocateZeroed(count: count, stride: stride) }
  }

  @inlinable
  public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    _locked { base.reallocate(pointer, byteCount: byteCount) }
  }

  @inlinable
  public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    _locked { base.deallocate(pointer) }
  }

  @inlinable
  public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
    _locked { base.deallocate(pointer, byteCount: byteCount) }
  }

  @inlinable
  public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    _locked { base.allocate(byteCount: byteCount, alignment: alignment) }
  }

  @inlinable
  public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    _locked { base.usableSize(of: pointer) }
  }

  /// The base's statistics, read under the mutex.
  public func statistics() -> AllocatorStatistics {
    _locked { base.statistics() }
  }

  /// The base's report, made under the mutex.
  public func statisticsReport() -> String {
    _locked { base.statisticsReport() }
  }

  /// The base's answer, under the mutex.
  public func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership {
    _locked { base.ownership(of: pointer) }
  }
}
