//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation

extension BackendConfiguration {
  /// Wraps each family's allocator in the debug hooks with its API id (`r`, `m`, `o`), as `PyMem_SetupDebugHooks`
  /// does, sharing one ``DebugContext`` (options from `SWIFTMALLOCTRACE`) held by the calling thread.
  @inlinable
  internal func _runWithDebugHooks<Body: AllocatorSetBody, Raw: Allocator, Mem: Allocator, Object: Allocator>(
    _ body: Body, raw: Raw, mem: Mem, object: Object, release: @escaping () -> Void
  ) -> Body.Output {
    let context = DebugContext.make(options: .fromEnvironment(ProcessInfo.processInfo.environment))
    let debugRaw = DebugAllocator(family: .raw, base: raw, context: context)
    let debugMem = DebugAllocator(family: .mem, base: mem, context: context)
    let debugObject = DebugAllocator(family: .object, base: object, context: context)
    let set = FamilySet(
      configuration: self, raw: debugRaw, mem: debugMem, object: debugObject, debugContext: context,
      release: {
        debugObject.destroy()
        debugMem.destroy()
        debugRaw.destroy()
        context.destroy()
        release()
      })
    return body.run(set)
  }
}
