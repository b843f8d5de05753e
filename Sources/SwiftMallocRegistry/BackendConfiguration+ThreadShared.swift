//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension BackendConfiguration {
  /// Builds new heaps for this configuration for a host whose threads share the mem and object families, runs
  /// `body` on them, and releases them afterwards.
  ///
  /// The set is ``withNewAllocatorSet(_:)``'s, except where a backend's single-owner families have a thread-safe
  /// form: jemalloc's mem and object then skip the explicit thread cache of the set's holder, and each thread takes
  /// a cache of its own (``ThreadCachingAllocator``). Whether the threads still need a lock is the object
  /// allocator's ``Allocator/isThreadSafe`` (see ``Allocator/withThreadSharing(handingHeapTo:_:)``).
  @inlinable
  public func withNewThreadSharedAllocatorSet<Body: AllocatorSetBody>(_ body: Body) -> Body.Output {
    #if Jemalloc
      if base == .jemalloc { return _withThreadSharedJemallocSet(ScopedBody(body: body)) }
    #endif
    return withNewAllocatorSet(body)
  }
}
