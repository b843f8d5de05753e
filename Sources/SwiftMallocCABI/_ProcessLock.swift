//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc

/// The process lock (a pthread mutex in CSwiftMalloc.c, reset in a forked child), taken only around the families of
/// a process heap whose allocator threads may not share without it, around `sm_select`, and while the process heap
/// is published.
enum _ProcessLock {
  /// Runs `body` under the lock; the calling thread holds the debug hooks' heap meanwhile.
  @inline(__always)
  static func run<Result>(_ debugContext: DebugContext?, _ body: () -> Result) -> Result {
    sm_process_lock()
    defer { sm_process_unlock() }
    debugContext?.setHolderToCurrentThread()
    defer { debugContext?.clearHolder() }
    return body()
  }

  /// Runs `body` under the lock.
  @inline(__always)
  static func run<Result>(_ body: () -> Result) -> Result {
    sm_process_lock()
    defer { sm_process_unlock() }
    return body()
  }
}
