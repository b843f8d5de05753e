//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend

extension BackendConfiguration {
  /// `malloc`: glibc for all three families, as `PYTHONMALLOC=malloc`.
  @inlinable
  internal func _withMallocSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
    let glibc = SystemAllocator()
    return _run(body, raw: glibc, mem: glibc, object: glibc, release: {})
  }
}
