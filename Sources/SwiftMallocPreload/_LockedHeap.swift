//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMallocPreload
import PymallocBackend

/// The `pymalloc` backend of the process allocator: the single-owner heap, every call under the process lock
/// (`sm_preload_lock`, a C static mutex held across `fork`), as CPython serialises pymalloc with the GIL.
@frozen
@usableFromInline
internal struct _LockedHeap: Allocator {
  @usableFromInline
  internal let heap: PymallocHeap<_GlibcHeap>

  @inlinable
  internal init(heap: PymallocHeap<_GlibcHeap>) {
    self.heap = heap
  }

  @usableFromInline
  internal var name: String { heap.name }

  @usableFromInline
  internal var isThreadSafe: Bool { true }

  @inlinable
  internal func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    _locked { heap.allocate(byteCount: byteCount) }
  }

  @inlinable
  internal func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    _locked { heap.allocateZeroed(count: count, stride: stride) }
  }

  @inlinable
  internal func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    _locked { heap.reallocate(pointer, byteCount: byteCount) }
  }

  @inlinable
  internal func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    _locked { heap.deallocate(pointer) }
  }

  @inlinable
  internal func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    _locked { heap.allocate(byteCount: byteCount, alignment: alignment) }
  }

  @inlinable
  internal func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    _locked { heap.usableSize(of: pointer) }
  }

  /// The heap's classification of `pointer` (the debug hooks ask it before reading a header).
  @usableFromInline
  internal func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership {
    _locked { heap.ownership(of: pointer) }
  }

  @usableFromInline
  internal func statistics() -> AllocatorStatistics {
    _locked { heap.statistics() }
  }

  @usableFromInline
  internal func statisticsReport() -> String {
    _locked { heap.statisticsReport() }
  }

  /// Runs `body` holding the process lock (a non-escaping closure: no context is allocated).
  @inlinable
  @inline(__always)
  internal func _locked<Result>(_ body: () -> Result) -> Result {
    sm_preload_lock()
    defer { sm_preload_unlock() }
    return body()
  }
}
