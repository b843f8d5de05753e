//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CPymallocShim
import CSystemShim

/// Each thread's heap: found, made or adopted, abandoned at thread exit, frozen in a forked child.
extension ConcurrentPymallocHeap {
  /// The calling thread's heap: the thread slot when it holds this allocator's, else found or made.
  @inlinable
  @inline(__always)
  internal func _threadHeap() -> PymallocHeap<Raw> {
    guard sm_pymalloc_thread_slot_owner() == _serial else { return _attachThreadHeap() }
    let heap = sm_pymalloc_thread_slot_heap().unsafelyUnwrapped
    return PymallocHeap(_state: heap.assumingMemoryBound(to: _HeapState.self), raw: raw)
  }

  /// The calling thread's heap when the slot holds another allocator's or none: the one its key records, else an
  /// abandoned heap adopted, else a new one.
  @inlinable
  @inline(never)
  internal func _attachThreadHeap() -> PymallocHeap<Raw> {
    let heap = _state._heapOfCallingThread() ?? _state._adoptOrMakeHeap()
    sm_pymalloc_set_thread_heap(_serial, heap)
    return PymallocHeap(_state: heap, raw: raw)
  }

  /// A free that is not the calling thread's own block: a raw block, a block of another of this allocator's heaps
  /// (pushed to it, or freed at once if its thread ended), or a block of another allocator (refused).
  @inlinable
  @inline(never)
  internal func _deallocateElsewhere(_ pointer: UnsafeMutableRawPointer, owner: UInt16) {
    guard owner != 0 else { return _deallocateRaw(pointer) }
    let heap = _threadHeap()
    guard let owning = _state._heap(named: owner), owning._isBlockStart(pointer) else {
      return heap._refuseBlockOfAnotherHeap(pointer, owner: owner, operation: "free")
    }
    if owning == heap._state { return heap._pymallocFree(pointer) }
    switch sm_load_acquire_word(owning._threadWord) {
    case _RemoteFreeState.frozen:
      return  // a heap of a thread the fork did not copy: never touched again
    case _RemoteFreeState.abandoned:
      if ConcurrentPymallocHeap._freeIntoAbandoned(pointer, of: owning, raw: raw) { return }
    default:
      break
    }
    owning._pushRemoteFree(pointer, in: _Pool.containing(pointer))
    // The owner may have ended between the look at its state and the push: its abandonment took back what was
    // pushed before; what came after is taken back here.
    if sm_load_acquire_word(owning._threadWord) == _RemoteFreeState.abandoned {
      ConcurrentPymallocHeap._takeBackAbandoned(owning, raw: raw)
    }
  }

  /// A raw block, freed by the calling thread's heap, which counts it off. A thread without a heap here (one that
  /// never allocated from this allocator, or one ending after its heap was abandoned) does not get one for this:
  /// the allocator's own word counts the block off instead.
  @usableFromInline
  internal func _deallocateRaw(_ pointer: UnsafeMutableRawPointer) {
    guard sm_pymalloc_thread_slot_owner() == _serial || _state._heapOfCallingThread() != nil else {
      raw.deallocate(pointer)
      return sm_add_relaxed_word(_state._rawFreesWithoutHeapWord, 1)
    }
    _threadHeap()._deallocateNotOwned(pointer, owner: 0)
  }

  /// Another thread's block, resized: in place when CPython's rule keeps it, else moved to `heap`.
  @inlinable
  @inline(never)
  internal func _reallocateOtherThreadsBlock(
    _ pointer: UnsafeMutableRawPointer, owner: UInt16, byteCount: Int, into heap: PymallocHeap<Raw>
  ) -> UnsafeMutableRawPointer? {
    guard let owning = _state._heap(named: owner), owning._isBlockStart(pointer) else {
      heap._refuseBlockOfAnotherHeap(pointer, owner: owner, operation: "reallocate")
      return nil
    }
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    let size = _Pool.containing(pointer)._blockSize
    if byteCount <= size, 4 * byteCount > 3 * size { return pointer }
    guard let moved = heap.allocate(byteCount: byteCount) else { return nil }
    moved.copyMemory(from: pointer, byteCount: min(byteCount, size))
    deallocate(pointer)
    return moved
  }

  /// Frees `pointer` into `heap`, whose thread ended, under the shared lock; `false` if a thread adopted the heap
  /// meanwhile (then the block is pushed as to any live heap).
  @usableFromInline
  internal static func _freeIntoAbandoned(_ pointer: UnsafeMutableRawPointer, of heap: _HeapStatePointer, raw: Raw)
    -> Bool
  {
    sm_pymalloc_shared_lock()
    defer { sm_pymalloc_shared_unlock() }
    guard sm_load_acquire_word(heap._threadWord) == _RemoteFreeState.abandoned else { return false }
    let owner = PymallocHeap(_state: heap, raw: raw)
    owner._pymallocFree(pointer)
    owner._releaseWhollyFreeArenas()
    return true
  }

  /// Takes back what other threads freed into `heap`, abandoned, under the shared lock.
  @usableFromInline
  internal static func _takeBackAbandoned(_ heap: _HeapStatePointer, raw: Raw) {
    sm_pymalloc_shared_lock()
    defer { sm_pymalloc_shared_unlock() }
    guard sm_load_acquire_word(heap._threadWord) == _RemoteFreeState.abandoned else { return }
    let owner = PymallocHeap(_state: heap, raw: raw)
    owner._takeBackAllRemoteFrees()
    owner._releaseWhollyFreeArenas()
  }

  /// Abandons `heap`, whose thread ended: it is marked so first (remote frees then take the lock), then what other
  /// threads freed into it is taken back, its wholly free arenas go back, and it waits for a thread to adopt it.
  internal static func _abandon(_ heap: _HeapStatePointer, raw: Raw) {
    sm_store_release_word(heap._threadWord, _RemoteFreeState.abandoned)
    sm_pymalloc_shared_lock()
    defer { sm_pymalloc_shared_unlock() }
    let owner = PymallocHeap(_state: heap, raw: raw)
    owner._takeBackAllRemoteFrees()
    owner._releaseWhollyFreeArenas()
    let allocator = heap._remoteFrees.pointee.allocator.unsafelyUnwrapped.assumingMemoryBound(
      to: _ConcurrentState.self)
    heap._remoteFrees.pointee.nextAbandoned = allocator.pointee.abandonedHeaps
    allocator.pointee.abandonedHeaps = heap
  }
}

extension UnsafeMutablePointer where Pointee == _ConcurrentState {
  /// Allocates the state, its thread-exit key, and enters it in the process's list of concurrent allocators.
  internal static func _make(options: PymallocOptions) -> UnsafeMutablePointer<_ConcurrentState> {
    let key = sm_pymalloc_key_create(_threadHeapDestructor)
    precondition(key >= 0, "no thread-exit key left for a concurrent pymalloc heap")
    // Mapped, not allocated: a process allocator makes this at its first malloc.
    let memory = _MemoryMapping.map(MemoryLayout<_ConcurrentState>.stride)
    let state = memory.unsafelyUnwrapped.bindMemory(to: _ConcurrentState.self, capacity: 1)
    state.initialize(to: _ConcurrentState(serial: sm_pymalloc_next_serial(), key: key, options: options))
    sm_pymalloc_shared_lock()
    sm_pymalloc_set_after_fork_in_child(_freezeOtherThreadsHeapsInChild)
    state.pointee.nextAllocator = sm_pymalloc_concurrent_allocators()?.assumingMemoryBound(to: _ConcurrentState.self)
    sm_pymalloc_set_concurrent_allocators(state)
    sm_pymalloc_shared_unlock()
    return state
  }

  /// Takes the state off `sm_pymalloc_concurrent_allocators`'s list (call under the shared lock).
  private func _leaveProcessList() {
    let head = sm_pymalloc_concurrent_allocators()?.assumingMemoryBound(to: _ConcurrentState.self)
    guard head != self else { return sm_pymalloc_set_concurrent_allocators(pointee.nextAllocator) }
    var previous = head
    while let current = previous, current.pointee.nextAllocator != self { previous = current.pointee.nextAllocator }
    previous?.pointee.nextAllocator = pointee.nextAllocator
  }

  /// The heap the calling thread's key records, if this thread has one already.
  @usableFromInline
  internal func _heapOfCallingThread() -> _HeapStatePointer? {
    sm_pymalloc_key_get(pointee.key)?.assumingMemoryBound(to: _HeapState.self)
  }

  /// An abandoned heap, adopted, or a new heap, owned by the calling thread from now on and recorded in its key.
  @usableFromInline
  internal func _adoptOrMakeHeap() -> _HeapStatePointer {
    sm_pymalloc_shared_lock()
    let heap: _HeapStatePointer
    if let abandoned = pointee.abandonedHeaps {
      pointee.abandonedHeaps = abandoned._remoteFrees.pointee.nextAbandoned
      abandoned._remoteFrees.pointee.nextAbandoned = nil
      heap = abandoned
    } else {
      heap = ._make(
        arenaSource: _SharedArenas.source, options: pointee.options,
        remoteFrees: _RemoteFreeState(allocator: UnsafeMutableRawPointer(self)))
      heap._remoteFrees.pointee.nextHeap = pointee.heaps
      pointee.heaps = heap
      _MemoryTracking.heapCreated(heap)
    }
    sm_store_release_word(heap._threadWord, UInt(sm_current_thread()))
    sm_pymalloc_shared_unlock()
    sm_pymalloc_key_set(pointee.key, heap)
    return heap
  }

  /// The heap named `id` in the arena map if it is one of this allocator's.
  @usableFromInline
  internal func _heap(named id: UInt16) -> _HeapStatePointer? {
    guard let heap = sm_pymalloc_heap_named(id)?.assumingMemoryBound(to: _HeapState.self),
      heap._remoteFrees.pointee.allocator == UnsafeMutableRawPointer(self)
    else { return nil }
    return heap
  }

  /// Frees every heap and cached arena, leaves the process's list, and releases the state.
  internal func _destroy<Raw: Allocator>(raw: Raw) {
    sm_pymalloc_shared_lock()
    _leaveProcessList()
    sm_pymalloc_shared_unlock()
    sm_pymalloc_key_delete(pointee.key)
    if sm_pymalloc_thread_heap(pointee.serial) != nil { sm_pymalloc_set_thread_heap(0, nil) }
    _forEachHeap { PymallocHeap(_state: $0, raw: raw).destroy() }
    deinitialize(count: 1)
    _MemoryMapping.unmap(UnsafeMutableRawPointer(self), MemoryLayout<_ConcurrentState>.stride)
  }
}

/// The thread-exit destructor of every concurrent allocator's key: abandons the ending thread's heap.
private let _threadHeapDestructor: @convention(c) (UnsafeMutableRawPointer?) -> Void = { value in
  guard let heap = value?.assumingMemoryBound(to: _HeapState.self) else { return }
  let allocator = heap._remoteFrees.pointee.allocator.unsafelyUnwrapped.assumingMemoryBound(to: _ConcurrentState.self)
  if sm_pymalloc_thread_heap(allocator.pointee.serial) == UnsafeMutableRawPointer(heap) {
    sm_pymalloc_set_thread_heap(0, nil)
  }
  // Abandoning frees only pool blocks and arenas, never through the raw allocator, so no `Raw` is needed here.
  ConcurrentPymallocHeap<_NoRawAllocator>._abandon(heap, raw: _NoRawAllocator())
}

/// The fork child's handler: every heap of a thread the fork did not copy is frozen. Runs with the shared lock
/// held, before any other thread exists; allocates nothing.
private let _freezeOtherThreadsHeapsInChild: @convention(c) () -> Void = {
  let forking = UInt(sm_current_thread())
  var next = sm_pymalloc_concurrent_allocators()?.assumingMemoryBound(to: _ConcurrentState.self)
  while let allocator = next {
    next = allocator.pointee.nextAllocator
    allocator._forEachHeap { heap in
      let thread = sm_load_acquire_word(heap._threadWord)
      if thread != _RemoteFreeState.abandoned && thread != forking {
        sm_store_release_word(heap._threadWord, _RemoteFreeState.frozen)
      }
    }
  }
}
