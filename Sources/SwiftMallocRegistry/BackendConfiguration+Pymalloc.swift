//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Pymalloc
  import AllocatorCore
  import PymallocBackend
  import SystemBackend

  extension BackendConfiguration {
    /// `pymalloc`: glibc for the raw family, one pymalloc heap (over glibc) shared by the mem and object families,
    /// as `PYTHONMALLOC=pymalloc`. `SWIFTMALLOCSTATS` turns on the report at each new arena and at release.
    @inlinable
    internal func _withPymallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      let heap = PymallocHeap(raw: SystemAllocator(), options: .fromEnvironment())
      return _run(body, raw: SystemAllocator(), mem: heap, object: heap, release: { heap.destroy() })
    }

    /// `pymalloc_mt`: glibc for the raw family, one concurrent pymalloc (a heap per thread) shared by the mem and
    /// object families, which any thread may call.
    @inlinable
    internal func _withConcurrentPymallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      let heap = ConcurrentPymallocHeap(raw: SystemAllocator(), options: .fromEnvironment())
      return _run(body, raw: SystemAllocator(), mem: heap, object: heap, release: { heap.destroy() })
    }
  }
#endif
