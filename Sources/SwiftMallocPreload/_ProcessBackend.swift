//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSwiftMallocPreload

/// The process allocator's state word (`sm_preload_backend_word`): not chosen yet, being chosen, or the backend
/// serving every call from then on.
@usableFromInline
internal enum _ProcessBackend: Int32 {
  /// The library is loading, or its constructor is choosing: every call is glibc's.
  case loading = 0
  /// `pymalloc_mt`: the concurrent pymalloc, a heap per thread.
  case concurrent = 2
  /// `pymalloc`: one single-owner heap under a process lock.
  case locked = 3
  /// `malloc`: glibc.
  case glibc = 4
  /// `pymalloc_mt_debug`: CPython's debug hooks over the concurrent pymalloc, a family per C and C++ API.
  case concurrentDebug = 5
  /// `pymalloc_debug`: the debug hooks over the single-owner pymalloc under the process lock.
  case lockedDebug = 6
  /// `malloc_debug`: the debug hooks over glibc.
  case glibcDebug = 7
  /// `pymalloc_mt` while the exit report is written: allocations go to glibc, frees still reach the heap.
  case concurrentReporting = 12
  /// `pymalloc` while the exit report is written (and the lock may be held by the report itself).
  case lockedReporting = 13
  /// The `_debug` backends while the exit report is written: allocations go to glibc, frees still reach the hooks.
  case concurrentDebugReporting = 15
  case lockedDebugReporting = 16
  case glibcDebugReporting = 17

  /// The backend in force.
  @inlinable
  @inline(__always)
  internal static var current: _ProcessBackend {
    _ProcessBackend(rawValue: sm_preload_backend()).unsafelyUnwrapped
  }

  /// The state while the exit report is written: allocations then go to glibc, so that the report's own strings
  /// never touch the heap it describes.
  internal var reporting: _ProcessBackend {
    switch self {
    case .concurrent: .concurrentReporting
    case .locked: .lockedReporting
    case .concurrentDebug: .concurrentDebugReporting
    case .lockedDebug: .lockedDebugReporting
    case .glibcDebug: .glibcDebugReporting
    default: self
    }
  }

  /// The backend when `SWIFTMALLOC` is unset or empty: a process is multithreaded.
  internal static var standard: _ProcessBackend { .concurrent }

  /// Every name the process allocator accepts, as the error for another one lists them.
  internal static var acceptedNames: StaticString {
    "default, pymalloc_mt, pymalloc, malloc, pymalloc_mt_debug, pymalloc_debug, malloc_debug"
  }
}

extension _ProcessBackend {
  /// The backend `name` (a `SWIFTMALLOC` value) picks, or `nil`; compares C strings, allocating nothing.
  internal init?(named name: UnsafePointer<CChar>) {
    if _Environment.equals(name, "default") || _Environment.equals(name, "pymalloc_mt") {
      self = .concurrent
    } else if _Environment.equals(name, "pymalloc") {
      self = .locked
    } else if _Environment.equals(name, "malloc") {
      self = .glibc
    } else if _Environment.equals(name, "pymalloc_mt_debug") {
      self = .concurrentDebug
    } else if _Environment.equals(name, "pymalloc_debug") {
      self = .lockedDebug
    } else if _Environment.equals(name, "malloc_debug") {
      self = .glibcDebug
    } else {
      return nil
    }
  }

  /// Whether `name` is a backend of the library that cannot be the process allocator: jemalloc (Debian's is a
  /// process `malloc` of its own, with initial-exec TLS) and mimalloc (loaded with `dlopen`, which allocates).
  internal static func cannotServeProcess(_ name: UnsafePointer<CChar>) -> Bool {
    _Environment.equals(name, "jemalloc") || _Environment.equals(name, "jemalloc_debug")
      || _Environment.equals(name, "mimalloc") || _Environment.equals(name, "mimalloc_debug")
  }
}
