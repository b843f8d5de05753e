//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSystemShim

#if canImport(Glibc)
  import Glibc
#endif

/// The state the debug hooks of one allocator set share: options, the thread holding the heap, per-family
/// counters and, with tracing on, each live block's allocation traceback.
///
/// CPython keeps one debug record per domain; the three ``DebugAllocator``s of a set share one context, so a
/// block freed through the wrong family is still found and the owner check sees one holder.
public struct DebugContext {
  internal let _state: UnsafeMutablePointer<_DebugState>

  /// A context held by the calling thread.
  public static func make(options: DebugOptions) -> DebugContext {
    let state = UnsafeMutablePointer<_DebugState>.allocate(capacity: 1)
    state.initialize(to: _DebugState(options: options))
    pthread_mutex_init(&state.pointee.traceLock, nil)
    return DebugContext(_state: state)
  }

  /// Releases the context; the debug allocators using it are invalid afterwards.
  public func destroy() {
    pthread_mutex_destroy(&_state.pointee.traceLock)
    _state.deinitialize(count: 1)
    _state.deallocate()
  }

  /// The options in force.
  public var options: DebugOptions { _state.pointee.options }

  /// Makes the calling thread the heap's holder: mem and object calls from any other thread are faults.
  ///
  /// A locked process-wide heap calls this after taking its lock and ``clearHolder()`` before releasing it; an
  /// unlocked C heap calls it from `sm_heap_claim`.
  public func setHolderToCurrentThread() {
    _state.pointee.holder = sm_current_thread()
  }

  /// Leaves the heap with no holder: every mem and object call is a fault until a thread takes it.
  public func clearHolder() {
    _state.pointee.holder = 0
  }

  /// Whether the calling thread holds the heap.
  internal var _callerHoldsHeap: Bool { _state.pointee.holder == sm_current_thread() }
}

/// The storage behind a ``DebugContext``.
internal struct _DebugState {
  var options: DebugOptions
  /// `pthread_self()` of the thread holding the heap; 0 when none does.
  var holder: UInt
  /// Live blocks and requested bytes per family, updated atomically (the raw family may be called by any thread).
  var liveBlocks: (CLong, CLong, CLong) = (0, 0, 0)
  var liveBytes: (CLong, CLong, CLong) = (0, 0, 0)
  /// Allocation tracebacks by user pointer, with tracing on; guarded by `traceLock`.
  var traces: [UInt: [UInt]] = [:]
  var traceLock = pthread_mutex_t()

  init(options: DebugOptions) {
    self.options = options
    self.holder = sm_current_thread()
  }
}
