//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Jemalloc
  import AllocatorCore
  import CJemallocShim

  /// A jemalloc arena and explicit thread cache of the backend's own, one per allocator set, so its statistics count
  /// that set's blocks only; ``destroy()`` returns them to jemalloc.
  public struct JemallocArena: Sendable {
    /// The arena index `arenas.create` returned.
    let index: UInt32
    /// Whether `index` is an arena this value created (and may destroy).
    let ownsArena: Bool
    /// Flags for calls from the thread that holds the heap: the arena plus the explicit thread cache.
    let cachedFlags: Int32
    /// Flags for calls from any thread: the arena, no thread cache.
    let uncachedFlags: Int32
    /// The explicit thread cache, if jemalloc made one.
    let threadCache: UInt32?

    /// A new arena (`arenas.create`) with a thread cache (`tcache.create`). If jemalloc refuses an arena (short of
    /// exhausting its 4095 arenas it does not), the backend uses arena 0, whose statistics then cover the process.
    ///
    /// - Precondition: jemalloc is reachable in this process (`BuildConfiguration.runtimeUnavailability(of:)` is
    ///   `nil` for it; the registry refuses the name otherwise).
    public init() {
      if let reason = sm_je_load() { preconditionFailure("jemalloc is unavailable: \(String(cString: reason))") }
      var arena: UInt32 = 0
      ownsArena = sm_je_read_unsigned("arenas.create", &arena) == 0
      index = ownsArena ? arena : 0
      let arenaFlag = sm_je_flag_arena(arena)
      uncachedFlags = arenaFlag | sm_je_flag_tcache_none()
      var cache: UInt32 = 0
      threadCache = sm_je_read_unsigned("tcache.create", &cache) == 0 ? cache : nil
      cachedFlags = threadCache.map { arenaFlag | sm_je_flag_tcache($0) } ?? uncachedFlags
    }

    /// The arena's allocated bytes (small + large; blocks parked in a thread cache count as allocated) and its
    /// mapped and resident bytes, plus jemalloc's process-wide counters in the extras.
    /// Destroys the thread cache and the arena with every block still in it.
    public func destroy() {
      if let threadCache { _ = sm_je_destroy_tcache(threadCache) }
      if ownsArena { _ = sm_je_destroy_arena(index) }
    }

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
