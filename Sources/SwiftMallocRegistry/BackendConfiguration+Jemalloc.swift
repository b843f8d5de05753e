//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Jemalloc
  import AllocatorCore
  import JemallocBackend

  extension BackendConfiguration {
    /// `jemalloc`: jemalloc for all three families, in an arena of the set's own, destroyed with the set. The raw
    /// family, which any thread may call, bypasses the arena's explicit thread cache; mem and object use it.
    @inlinable
    internal func _withJemallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      let arena = JemallocArena()
      let cached = JemallocAllocator(arena: arena, threadCached: true)
      let uncached = JemallocAllocator(arena: arena, threadCached: false)
      return _run(body, raw: uncached, mem: cached, object: cached, release: arena.destroy)
    }

    /// `jemalloc` for threads sharing every family: all three uncached, each thread caching through its own copy.
    @inlinable
    internal func _withThreadSharedJemallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      let arena = JemallocArena()
      let uncached = JemallocAllocator(arena: arena, threadCached: false)
      return _run(body, raw: uncached, mem: uncached, object: uncached, release: arena.destroy)
    }
  }
#endif
