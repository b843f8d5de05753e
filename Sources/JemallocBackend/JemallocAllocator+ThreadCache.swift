//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Jemalloc
  import AllocatorCore
  import CJemallocShim

  /// Each thread sharing the arena gets an explicit thread cache of its own (`tcache.create`), released with
  /// `tcache.destroy`, which flushes it, before the thread ends: jemalloc's per-thread cache, kept to this arena.
  ///
  /// jemalloc's automatic thread cache (`MALLOCX_ARENA(a)` alone) does not keep to it: a block cached there is
  /// handed to the next request of its size class whatever arena it asks for, so a plain `malloc` of the same
  /// thread gets this arena's blocks — which `arena.<i>.destroy` then discards while they are in use.
  extension JemallocAllocator: ThreadCachingAllocator {
    /// A copy on the same arena with a new explicit thread cache; this allocator if jemalloc refuses one.
    public func withThreadCache() -> JemallocAllocator {
      var cache: UInt32 = 0
      guard sm_je_read_unsigned("tcache.create", &cache) == 0 else { return self }
      let flags = sm_je_flag_arena(arena.index) | sm_je_flag_tcache(cache)
      return JemallocAllocator(arena: arena, flags: flags, ownThreadCache: cache)
    }

    /// Flushes and destroys the copy's thread cache (`tcache.destroy`).
    public func releaseThreadCache() {
      guard let _ownThreadCache else { return }
      _ = sm_je_destroy_tcache(_ownThreadCache)
    }
  }
#endif
