//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend

extension BackendConfiguration {
  /// Builds new heaps for this configuration, runs `body` on them, and releases them afterwards.
  ///
  /// Each call gets its own heaps (CPython 3.12's per-interpreter state): blocks must not outlive the call.
  /// The heaps are used by the calling thread only.
  @inlinable
  public func withNewAllocatorSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
    makeAllocatorSet(ScopedBody(body: body))
  }

  /// Builds new heaps for this configuration and hands the set to `body`, which owns it from then on and must call
  /// ``AllocatorSet/destroy()`` when done with it.
  ///
  /// Inlinable, like everything on the way to `body`, so that the caller's module specializes the whole chain for
  /// the concrete set: every allocation in `body` is then a direct, inlined call into the backend.
  @inlinable
  public func makeAllocatorSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
    switch base {
    case .malloc:
      return _withMallocSet(body)
    case .pymalloc:
      #if Pymalloc
        return _withPymallocSet(body)
      #else
        preconditionFailure("\(self) is not compiled in: Registry refuses it before a set is built")
      #endif
    case .pymallocThreaded:
      #if Pymalloc
        return _withConcurrentPymallocSet(body)
      #else
        preconditionFailure("\(self) is not compiled in: Registry refuses it before a set is built")
      #endif
    case .jemalloc:
      #if Jemalloc
        return _withJemallocSet(body)
      #else
        preconditionFailure("\(self) is not compiled in: Registry refuses it before a set is built")
      #endif
    case .mimalloc:
      #if Mimalloc
        return _withMimallocSet(body)
      #else
        preconditionFailure("\(self) is not compiled in: Registry refuses it before a set is built")
      #endif
    }
  }

  /// Hands `body` the set of three allocators, wrapped in the debug hooks when this configuration asks for them.
  @inlinable
  internal func _run<Body: AllocatorSetBody, Raw: Allocator, Mem: Allocator, Object: Allocator>(
    _ body: Body, raw: Raw, mem: Mem, object: Object, release: @escaping () -> Void
  ) -> Body.Output {
    if debugHooks {
      return _runWithDebugHooks(body, raw: raw, mem: mem, object: object, release: release)
    }
    return body.run(FamilySet(configuration: self, raw: raw, mem: mem, object: object, release: release))
  }
}

/// Runs a body, then destroys the set it was given.
@usableFromInline
internal struct ScopedBody<Body: AllocatorSetBody>: AllocatorSetBody {
  @usableFromInline
  let body: Body

  @inlinable
  init(body: Body) { self.body = body }

  @inlinable
  func run<Set: AllocatorSet>(_ set: Set) -> Body.Output {
    defer { set.destroy() }
    return body.run(set)
  }
}
