//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Jemalloc
  import AllocatorCore
  import CJemallocShim

  /// The backend's own jemalloc arena and thread cache, created once per process.
  @usableFromInline
  internal struct _JemallocArena: Sendable {
    /// The arena index `arenas.create` returned.
    let index: UInt32
    /// Flags for calls from the thread that holds the heap: the arena plus the explicit thread cache.
    let cachedFlags: Int32
    /// Flags for calls from any thread: the arena, no thread cache.
    let uncachedFlags: Int32
    /// The explicit thread cache, if jemalloc made one.
    let threadCache: UInt32?

    /// Created on first use. If jemalloc refuses a new arena (it never does short of memory exhaustion), the
    /// backend falls back to arena 0 so that it still works, and its statistics then cover that arena.
    static let shared = _JemallocArena()

    private init() {
      var arena: UInt32 = 0
      if sm_je_read_unsigned("arenas.create", &arena) != 0 { arena = 0 }
      index = arena
      let arenaFlag = sm_je_flag_arena(arena)
      uncachedFlags = arenaFlag | sm_je_flag_tcache_none()
      var cache: UInt32 = 0
      threadCache = sm_je_read_unsigned("tcache.create", &cache) == 0 ? cache : nil
      cachedFlags = threadCache.map { arenaFlag | sm_je_flag_tcache($0) } ?? uncachedFlags
    }

    /// The arena's allocated bytes (small + large; blocks parked in a thread cache count as allocated) and its
    /// mapped and resident bytes, plus jemalloc's process-wide counters in the extras.
    ///
    /// Reading them flushes the thread cache first (the caller holds the heap), so cached blocks are not counted.
    func statistics(backend: String) -> AllocatorStatistics {
      if let threadCache { _ = sm_je_flush_tcache(threadCache) }
      let small = read("stats.arenas.\(index).small.allocated")
      let large = read("stats.arenas.\(index).large.allocated")
      var extras: [String: Int] = [:]
      for name in ["stats.allocated", "stats.active", "stats.resident", "stats.mapped"] {
        extras[name] = read(name)
      }
      extras["arena.index"] = Int(index)
      return AllocatorStatistics(
        backend: backend, liveBlocks: nil, allocatedBytes: small + large, liveRequestedBytes: nil,
        mappedBytes: read("stats.arenas.\(index).mapped"), residentBytes: read("stats.arenas.\(index).resident"),
        extras: extras)
    }

    private func read(_ name: String) -> Int {
      var value = 0
      return sm_je_read_size(name, &value) == 0 ? value : 0
    }
  }
#endif
