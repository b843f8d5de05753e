import AllocatorCore

#if Jemalloc
  extension BackendConfiguration {
    // Interim: replaced by the Jemalloc backend's own set builder.
    internal func _withJemallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      preconditionFailure("Jemalloc set builder not yet written")
    }
  }
#endif
