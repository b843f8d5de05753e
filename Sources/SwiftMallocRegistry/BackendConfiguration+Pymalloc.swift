import AllocatorCore

#if Pymalloc
  extension BackendConfiguration {
    // Interim: replaced by the Pymalloc backend's own set builder.
    internal func _withPymallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
      preconditionFailure("Pymalloc set builder not yet written")
    }
  }
#endif
