//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CPymallocShim

/// What the thread heaps of one ``ConcurrentPymallocHeap`` share, behind one pointer; everything mutable is guarded
/// by the shared lock (`sm_pymalloc_shared_lock`) but the arena cache, which has a lock of its own.
///
///     heaps           every thread heap the allocator made, live or abandoned, through `_RemoteFreeState.nextHeap`
///     abandonedHeaps  the heaps whose thread ended, through `nextAbandoned`, adopted first by threads that need one
///     cachedArenas    free arenas kept for any thread heap (the shared arena source), linked through their first word
@usableFromInline
internal struct _ConcurrentState {
  /// The tag of this allocator in the threads' heap slot: never reused in the process.
  @usableFromInline
  internal let serial: UInt

  /// The thread-exit key whose destructor abandons the thread's heap.
  internal let key: Int

  /// The options every thread heap is made with.
  internal let options: PymallocOptions

  /// The arena source every thread heap shares (``_ConcurrentState/cachedArenas``, then `mmap`).
  internal var arenaSource: ArenaSource

  /// Every thread heap of the allocator.
  internal var heaps: _HeapStatePointer? = nil

  /// The abandoned thread heaps.
  internal var abandonedHeaps: _HeapStatePointer? = nil

  /// Free arenas kept for the next thread heap that needs one, at most ``arenaCacheCapacity``.
  internal var cachedArenas: UnsafeMutableRawPointer? = nil
  internal var cachedArenaCount = 0

  /// Abandons a thread heap whose thread ended (made in the allocator's generic initialiser, which knows `Raw`).
  internal var abandon: (_HeapStatePointer) -> Void = { _ in }

  /// The next concurrent allocator of the process (`sm_pymalloc_concurrent_allocators`'s list).
  internal var nextAllocator: UnsafeMutablePointer<_ConcurrentState>? = nil

  /// Free arenas the shared source keeps mapped for reuse by any thread: 8 MiB.
  internal static var arenaCacheCapacity: Int { 8 }

  internal init(serial: UInt, key: Int, options: PymallocOptions) {
    self.serial = serial
    self.key = key
    self.options = options
    arenaSource = .memoryMap
  }
}

extension UnsafeMutablePointer where Pointee == _ConcurrentState {
  /// The shared arena source: a free arena another thread heap gave back, else a fresh mapping; a released arena is
  /// kept while the cache has room, else unmapped. Each step outside any lock but the cache's own.
  internal var _sharedArenaSource: ArenaSource {
    ArenaSource(
      obtain: { byteCount in
        sm_pymalloc_arena_cache_lock()
        let arena = pointee.cachedArenas
        if let arena {  // taken from the list and its place
          pointee.cachedArenas = arena.load(as: UnsafeMutableRawPointer?.self)
          pointee.cachedArenaCount -= 1
        }
        sm_pymalloc_arena_cache_unlock()
        return arena ?? _MemoryMapping.map(byteCount)
      },
      release: { arena, byteCount in
        sm_pymalloc_arena_cache_lock()
        let kept = pointee.cachedArenaCount < _ConcurrentState.arenaCacheCapacity
        if kept { pointee.cachedArenaCount += 1 }  // a place taken; the arena joins the list below
        sm_pymalloc_arena_cache_unlock()
        guard kept else { return _MemoryMapping.unmap(arena, byteCount) }
        // Given back to the OS first, so a cached arena costs no RSS and reads as zeros when taken again.
        _MemoryMapping.discard(arena, byteCount)
        sm_pymalloc_arena_cache_lock()
        arena.storeBytes(of: pointee.cachedArenas, as: UnsafeMutableRawPointer?.self)
        pointee.cachedArenas = arena
        sm_pymalloc_arena_cache_unlock()
      })
  }

  /// Unmaps every cached arena (the allocator is being destroyed).
  internal func _releaseCachedArenas() {
    while let arena = pointee.cachedArenas {
      pointee.cachedArenas = arena.load(as: UnsafeMutableRawPointer?.self)
      _MemoryMapping.unmap(arena, _Layout.arenaSize)
    }
    pointee.cachedArenaCount = 0
  }

  /// Calls `body` on each of the allocator's heaps, live and abandoned (call under the shared lock). Allocates
  /// nothing, so that the fork handler may use it.
  internal func _forEachHeap(_ body: (_HeapStatePointer) -> Void) {
    var next = pointee.heaps
    while let heap = next {
      next = heap._remoteFrees.pointee.nextHeap
      body(heap)
    }
  }
}
