//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Mimalloc
  import AllocatorCore
  import MimallocBackend
  import SystemBackend

  extension BackendConfiguration {
    /// `mimalloc`: glibc for the raw family, as `PYTHONMALLOC=mimalloc` keeps it; mimalloc for mem and object, from
    /// a heap of the set's own (`mi_heap_new`) on the thread that builds the set, destroyed with the set.
    @inlinable
    internal func _withMimallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      let heap = MimallocHeap()
      let mimalloc = MimallocAllocator(heap: heap)
      return _run(body, raw: SystemAllocator(), mem: mimalloc, object: mimalloc, release: heap.destroy)
    }
  }
#endif
