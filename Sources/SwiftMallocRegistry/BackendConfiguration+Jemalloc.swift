//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Jemalloc
  import AllocatorCore
  import JemallocBackend

  extension BackendConfiguration {
    /// `jemalloc`: jemalloc for all three families. The raw family, which any thread may call, bypasses the
    /// backend's explicit thread cache; mem and object, held by one thread at a time, use it.
    @inlinable
    internal func _withJemallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      let cached = JemallocAllocator(threadCached: true)
      return _run(body, raw: JemallocAllocator(threadCached: false), mem: cached, object: cached, release: {})
    }
  }
#endif
