//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CPymallocShim

/// The arena source every thread heap of every ``ConcurrentPymallocHeap`` shares: a free arena a thread heap gave
/// back, else a fresh mapping; a released arena is kept (its pages given back first, so it costs no RSS and reads as
/// zeros when taken again) while the cache has room, else unmapped. Only the cache is locked, never a system call.
///
/// Its functions capture nothing, so making the source allocates nothing (a process allocator makes it at its first
/// `malloc`).
internal enum _SharedArenas {
  /// Free arenas kept for reuse by any thread: 8 MiB.
  internal static var cacheCapacity: Int { 8 }

  /// The source.
  internal static var source: ArenaSource { ArenaSource(obtain: obtain, release: release) }

  /// Arenas kept right now (places taken included).
  internal static var cachedCount: Int {
    sm_pymalloc_arena_cache_lock()
    defer { sm_pymalloc_arena_cache_unlock() }
    return sm_pymalloc_arena_cache_count()
  }

  private static func obtain(_ byteCount: Int) -> UnsafeMutableRawPointer? {
    sm_pymalloc_arena_cache_lock()
    let arena = sm_pymalloc_arena_cache_head()
    if let arena {  // taken from the list, and its place
      sm_pymalloc_set_arena_cache_head(arena.load(as: UnsafeMutableRawPointer?.self))
      sm_pymalloc_set_arena_cache_count(sm_pymalloc_arena_cache_count() - 1)
    }
    sm_pymalloc_arena_cache_unlock()
    return arena ?? _MemoryMapping.map(byteCount)
  }

  private static func release(_ arena: UnsafeMutableRawPointer, _ byteCount: Int) {
    sm_pymalloc_arena_cache_lock()
    let kept = sm_pymalloc_arena_cache_count() < cacheCapacity
    if kept { sm_pymalloc_set_arena_cache_count(sm_pymalloc_arena_cache_count() + 1) }  // a place taken
    sm_pymalloc_arena_cache_unlock()
    guard kept else { return _MemoryMapping.unmap(arena, byteCount) }
    _MemoryMapping.discard(arena, byteCount)
    sm_pymalloc_arena_cache_lock()
    arena.storeBytes(of: sm_pymalloc_arena_cache_head(), as: UnsafeMutableRawPointer?.self)
    sm_pymalloc_set_arena_cache_head(arena)
    sm_pymalloc_arena_cache_unlock()
  }
}
