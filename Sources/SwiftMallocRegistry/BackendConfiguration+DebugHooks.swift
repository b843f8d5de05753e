//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension BackendConfiguration {
  /// Wraps each family's allocator in the debug hooks, as `PyMem_SetupDebugHooks` does.
  @usableFromInline
  internal func _runWithDebugHooks<Body: AllocatorSetBody, Raw: Allocator, Mem: Allocator, Object: Allocator>(
    _ body: Body, raw: Raw, mem: Mem, object: Object, release: @escaping () -> Void
  ) -> Body.Output {
    // Replaced by the debug layer (issue 4): until then `_debug` names build no set.
    fatalError("debug hooks are not built yet")
  }
}
