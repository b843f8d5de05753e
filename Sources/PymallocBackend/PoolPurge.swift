//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Giving the pages of empty pools back to the OS (``PymallocOptions/purge``; CPython never does).
///
/// Invariant: a pool is purged exactly when its bit is set in its arena's `purgedPools`; it is then empty, on no
/// list, not marked reused, and its pages (header included) read as zeros. Purged pools still count among the arena's free pools,
/// and `_takeBlankPool` hands them out, lowest first, before carving new ones, re-initialising each.
extension _HeapState {
  /// Counts `pool`, just emptied in `arena` (which stays attached and has `pool` at the head of its free list),
  /// towards the purge policy's next action. Inlined into the free path: one decrement and a test.
  @inlinable
  @inline(__always)
  internal mutating func purgeAfterPoolEmptied(_ pool: _Pool, in arena: _Arena) {
    poolsUntilPurge &-= 1
    if poolsUntilPurge == 0 { purgeNow(after: pool, in: arena) }
  }

  /// The purge policy's action once its period of emptied pools is complete; the count starts again.
  @usableFromInline
  @inline(never)
  internal mutating func purgeNow(after pool: _Pool, in arena: _Arena) {
    poolsUntilPurge = options.purge.period
    switch options.purge {
    case .off: return
    case .immediate: purgeAtOnce(pool, of: arena)
    case .afterEmptyPools: purgeEmptyPoolsOfLiveArenas()
    }
  }

  /// ``PymallocOptions/PurgePolicy/immediate``: purges `pool`, the head of its arena's free list, unless the
  /// arena is wholly free.
  @usableFromInline
  internal mutating func purgeAtOnce(_ pool: _Pool, of arena: _Arena) {
    guard arena.pointee.freePoolCount < arena.pointee.totalPoolCount else { return }
    arena.pointee.freePools = pool.pointee.nextPool
    purge(UInt64(1) << arena._index(of: pool), of: arena)
  }

  /// Purges the pools on the free lists of the arenas that are at least a quarter used, except those reused since
  /// the last action (``_ArenaDescriptor/reusedPools``), and starts a new period. A pool that keeps emptying and
  /// filling between actions is in use: giving back its pages would only cost page faults at its next use (on
  /// `scale` at 10⁴ this cost +13 % before such pools were spared, +1 % after). Emptier arenas are left alone:
  /// they are likely on their way to being wholly free, and then go back whole (or are kept whole by the
  /// retention option), so purging their pools first would be wasted system calls.
  @usableFromInline
  internal mutating func purgeEmptyPoolsOfLiveArenas() {
    guard let arenas else { return }
    for arena in arenas..<(arenas + maximumArenaCount) where arena.pointee.address != nil {
      let reused = arena.pointee.reusedPools
      arena.pointee.reusedPools = 0
      guard 4 * arena.pointee.freePoolCount <= 3 * arena.pointee.totalPoolCount else { continue }
      purge(arena._takeOffFreeList(sparing: reused), of: arena)
    }
  }

  /// Gives back every page of the pools in `pools` (bits as in ``_ArenaDescriptor/purgedPools``), already off
  /// the free list, one `madvise` per run of neighbours, and records them purged.
  internal mutating func purge(_ pools: UInt64, of arena: _Arena) {
    var remaining = pools
    while remaining != 0 {
      let first = remaining.trailingZeroBitCount
      let length = (~(remaining >> first)).trailingZeroBitCount
      _MemoryMapping.discard(UnsafeMutableRawPointer(arena._pool(at: first)), length * _Layout.poolSize)
      remaining &= ~(((UInt64(1) << length) &- 1) << first)
    }
    arena.pointee.purgedPools |= pools
    // A purged pool is not in use, whatever happened since the last action: it is re-initialised when taken.
    arena.pointee.reusedPools &= ~pools
    poolsPurged += pools.nonzeroBitCount
  }
}

extension UnsafeMutablePointer where Pointee == _ArenaDescriptor {
  /// Takes every pool off ``_ArenaDescriptor/freePools`` but those in `spared` (bits of their indices), keeping
  /// the spared ones in their order, and returns the bits of the pools taken off.
  internal func _takeOffFreeList(sparing spared: UInt64) -> UInt64 {
    var taken: UInt64 = 0
    var lastKept: _Pool? = nil
    var next = pointee.freePools
    pointee.freePools = nil
    while let pool = next {
      next = pool.pointee.nextPool
      let bit = UInt64(1) << _index(of: pool)
      if spared & bit != 0 {
        pool.pointee.nextPool = nil
        if let lastKept { lastKept.pointee.nextPool = pool } else { pointee.freePools = pool }
        lastKept = pool
      } else {
        taken |= bit
      }
    }
    return taken
  }
}
