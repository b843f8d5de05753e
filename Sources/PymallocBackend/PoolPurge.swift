//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Giving the pages of empty pools back to the OS (``PymallocOptions/purge``; CPython never does).
///
/// Invariant: a pool is purged exactly when it is empty and its size index is `dummySizeIndex`. Purging keeps
/// the header's page (the pool stays linked on its arena's free-pool list through the header) and discards the
/// rest, so the old free list is gone: the dummy size index makes the next use re-initialise the pool.
extension _HeapState {
  /// The purge policy's reaction to `pool` becoming empty in `arena`, which stays attached.
  @usableFromInline
  internal mutating func purgeAfterPoolEmptied(_ pool: _Pool, in arena: _Arena) {
    switch options.purge {
    case .off:
      return
    case .immediate:
      if arena.pointee.freePoolCount < arena.pointee.totalPoolCount { purge(pool) }
    case .afterEmptyPools(let threshold):
      poolsEmptiedSincePurge += 1
      guard poolsEmptiedSincePurge >= threshold else { return }
      poolsEmptiedSincePurge = 0
      purgeEmptyPoolsOfLiveArenas()
    }
  }

  /// Purges every empty, not yet purged pool of every arena that still holds live blocks.
  internal mutating func purgeEmptyPoolsOfLiveArenas() {
    for arena in attachedArenas where arena.pointee.freePoolCount < arena.pointee.totalPoolCount {
      var next = arena.pointee.freePools
      while let pool = next {
        if pool.pointee.sizeIndex != _Layout.dummySizeIndex { purge(pool) }
        next = pool.pointee.nextPool
      }
    }
  }

  /// Discards every page of `pool` after the header's and marks it for re-initialisation.
  internal mutating func purge(_ pool: _Pool) {
    assert(pool.pointee.count == 0, "only empty pools are purged")
    _MemoryMapping.discard(pool._base + _Layout.systemPageSize, _Layout.poolSize - _Layout.systemPageSize)
    pool.pointee.sizeIndex = _Layout.dummySizeIndex
    poolsPurged += 1
  }
}
