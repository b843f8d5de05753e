//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What a thread heap of a ``ConcurrentPymallocHeap`` shares with the other threads, in the heap's allocation after
/// its used-pool heads, on a cache line of its own (remote threads write it; the owner's hot lines stay clean).
///
///     delayedFrees   blocks other threads freed into pools that were full (a LIFO list through each block's
///                    first word, pushed with compare-and-swap, taken whole by the owner)
///     thread         the owning thread (`pthread_self`), or `abandoned` / `frozen`
///     allocator      the concurrent heap this thread heap belongs to (nil for a single-owner heap)
///     nextHeap       the allocator's list of its thread heaps, and of the abandoned ones (under the shared lock)
@usableFromInline
internal struct _RemoteFreeState {
  /// The head of the delayed list (atomic; 0 when empty).
  @usableFromInline
  internal var delayedFrees: UInt = 0

  /// The owning thread's `pthread_self()`, or ``abandoned`` / ``frozen`` (atomic).
  @usableFromInline
  internal var thread: UInt = _RemoteFreeState.abandoned

  /// The ``_ConcurrentState`` this heap belongs to.
  @usableFromInline
  internal let allocator: UnsafeMutableRawPointer?

  /// The next of the allocator's thread heaps (guarded by the shared lock).
  internal var nextHeap: _HeapStatePointer? = nil

  /// The next abandoned heap, while this one is on the abandoned list (guarded by the shared lock).
  internal var nextAbandoned: _HeapStatePointer? = nil

  /// No thread owns the heap: its thread ended. Frees into it are made under the shared lock, and the next thread
  /// that needs a heap adopts it.
  @usableFromInline
  internal static var abandoned: UInt { 0 }

  /// The heap belonged to a thread of the parent that a fork did not copy: it may have been in the middle of an
  /// operation, so the child never touches it again (frees into it are dropped).
  @usableFromInline
  internal static var frozen: UInt { 1 }

  internal init(allocator: UnsafeMutableRawPointer?) {
    self.allocator = allocator
  }
}
