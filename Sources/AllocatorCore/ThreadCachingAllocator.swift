//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A thread-safe allocator that serves a thread faster through a cache of the thread's own: jemalloc's thread
/// cache.
///
/// A worker thread of a shared workload takes ``withThreadCache()`` before its first call, makes every call of its
/// own through that copy, and calls ``releaseThreadCache()`` on it before it ends. Blocks may be freed through any
/// thread's copy or through the shared allocator. Once every copy is released, the heap holds every block freed
/// anywhere, so destroying it discards nothing a thread still caches.
public protocol ThreadCachingAllocator: Allocator {
  /// A copy of this allocator serving the calling thread through a new cache of its own (this allocator itself if
  /// no cache can be made). Only the calling thread may use the copy.
  func withThreadCache() -> Self

  /// Returns the blocks the copy's cache holds to the heap and releases the cache; the copy is invalid afterwards.
  /// Does nothing on an allocator ``withThreadCache()`` did not make.
  func releaseThreadCache()
}
