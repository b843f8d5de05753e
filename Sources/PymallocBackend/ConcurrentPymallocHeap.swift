//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CPymallocShim
import CSystemShim

/// pymalloc for many threads (`pymalloc_mt`): each thread allocates from a ``PymallocHeap`` of its own, and frees
/// from any thread go back to the heap that owns the block — CPython's pools and arenas under mimalloc's
/// concurrency model, as CPython 3.13's free-threaded build took mimalloc's per-thread heaps.
///
///     thread 1 ──slot──► thread heap 1: used pools, arenas ◄──┐        one arena map for the process:
///     thread 2 ──slot──► thread heap 2: used pools, arenas    ├── map: arena → heap number → heap state
///     (ended)            thread heap 3: abandoned, adopted next│
///                              ▲                              │
///                              └── shared: heap lists, arena cache (locked; slow paths only)
///
/// - **Allocation**: the calling thread's heap from a thread-local slot (one load and a compare), then the
///   single-owner fast path: size → class → the class's first used pool → pop. No lock, no atomic.
/// - **A free by the owning thread** is the ordinary pool free. **A free by another thread** pushes the block on its
///   pool's remote list with one compare-and-swap; the owner takes the list back when that pool's free list runs
///   dry. A block freed into a full pool goes to its heap's delayed list instead, which the owner drains on its
///   slow path (see `PymallocHeap+RemoteFrees.swift`).
/// - **A thread that ends** abandons its heap with its live blocks: remote frees into it are taken back, its
///   wholly free arenas go back, and it waits for the next thread that needs a heap, which adopts it whole. Frees
///   into an abandoned heap are made at once, under the shared lock.
/// - **fork**: the child keeps the forking thread's heap and the abandoned ones; the heaps of the parent's other
///   threads, which may have been in the middle of an operation, are frozen: never allocated from, and frees into
///   them are dropped.
/// - **Cheap checks on a remote free**: the pointer must be in an arena of this allocator (the arena map) and at a
///   block boundary of its pool's class; anything else is refused with a line on standard error instead of being
///   pushed onto another thread's lists. A double free is not detected without the debug hooks or
///   ``PymallocOptions/hardened``.
///
/// Statistics and the report sum over every thread heap, exactly when no other thread is allocating meanwhile;
/// ``threadStatisticsReports()`` gives one report per heap.
@frozen
public struct ConcurrentPymallocHeap<Raw: Allocator>: Allocator {
  @usableFromInline
  internal let _state: UnsafeMutablePointer<_ConcurrentState>

  /// This allocator's tag in the threads' heap slot.
  @usableFromInline
  internal let _serial: UInt

  /// The allocator that serves zero-byte and large requests, as in every thread heap.
  public let raw: Raw

  /// Creates the allocator; each thread gets its heap at its first request.
  ///
  /// - Precondition: the process has a thread-exit key left (`pthread_key_create`; glibc has 1024).
  public init(raw: Raw, options: PymallocOptions = PymallocOptions()) {
    self.raw = raw
    _state = ._make(options: options)
    _serial = _state.pointee.serial
  }

  /// `"pymalloc_mt"`.
  public var name: String { BaseBackend.pymallocThreaded.rawValue }

  /// Any thread may call.
  public var isThreadSafe: Bool { true }

  /// Built for callers that share no lock: the debug hooks' GIL check does not apply.
  public var isFreeThreaded: Bool { true }

  /// Allocates `byteCount` bytes from the calling thread's heap.
  @inlinable
  public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    _threadHeap().allocate(byteCount: byteCount)
  }

  /// Allocates `count × stride` zeroed bytes from the calling thread's heap.
  @inlinable
  public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    _threadHeap().allocateZeroed(count: count, stride: stride)
  }

  /// Allocates aligned memory from the calling thread's heap (alignments above 16 from `Raw`).
  @inlinable
  public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    _threadHeap().allocate(byteCount: byteCount, alignment: alignment)
  }

  /// Frees a block from any thread: the calling thread's own block to its pool, another thread's to that heap's
  /// remote lists, a raw block to `Raw`. `nil` is a no-op.
  @inlinable
  @inline(__always)
  public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    let owner = _ArenaMap.owner(of: pointer)
    if sm_pymalloc_thread_slot_owner() == _serial {
      let state = sm_pymalloc_thread_slot_heap().unsafelyUnwrapped.assumingMemoryBound(to: _HeapState.self)
      if owner == state.pointee.heapID { return PymallocHeap(_state: state, raw: raw)._pymallocFree(pointer) }
    }
    _deallocateElsewhere(pointer, owner: owner)
  }

  /// Resizes a block from any thread: a block of the calling thread's heap (or a raw block) as that heap does; a
  /// block of another thread's heap stays in place if CPython's rule allows, else moves to the calling thread's.
  @inlinable
  @inline(__always)
  public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    let heap = _threadHeap()
    guard let pointer else { return heap.allocate(byteCount: byteCount) }
    let owner = _ArenaMap.owner(of: pointer)
    guard owner != 0, owner != heap._state.pointee.heapID else {
      return heap._reallocate(pointer, owner: owner, byteCount: byteCount)
    }
    return _reallocateOtherThreadsBlock(pointer, owner: owner, byteCount: byteCount, into: heap)
  }

  /// The block size of a pymalloc block; the raw allocator's answer for anything else.
  @inlinable
  public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    _threadHeap().usableSize(of: pointer)
  }

  /// Frees every thread heap and cached arena. No thread may use the allocator, or a block it handed out,
  /// afterwards.
  public func destroy() {
    _state._destroy(raw: raw)
  }
}

/// Any thread may call.
extension ConcurrentPymallocHeap: @unchecked Sendable where Raw: Sendable {}
