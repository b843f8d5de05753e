//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// Resolves `name` once and runs `body` on the object family of a new set made for threads sharing it (or on the
/// `cpython` reference): directly when it is thread-safe, otherwise behind a ``LockedAllocator``, as the C ABI's
/// `sm_object_*` functions call the process heap.
func withThreadSharedAllocator<Body: SharedAllocatorBody>(named name: String, _ body: Body) throws -> Body.Output {
  try withObjectFamily(named: name, threadShared: true, SharedObjectFamily(body: body))
}

/// Shares an object family among threads for a ``SharedAllocatorBody``.
private struct SharedObjectFamily<Body: SharedAllocatorBody>: ObjectFamilyBody {
  let body: Body
  func run<A: Allocator>(_ object: A, debugContext: DebugContext?) -> Body.Output {
    object.withThreadSharing(handingHeapTo: debugContext, body)
  }
}
