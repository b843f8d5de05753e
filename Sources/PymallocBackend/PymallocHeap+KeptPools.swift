//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// ``PymallocOptions/keepsEmptyPoolPerClass``: a class's last used pool stays on its list when it empties, so an
/// allocate/free pair of one class never pays the empty → used transition.
///
/// Invariants kept here:
/// - at most one kept pool per class, always the head of its used list, with `count == 0`;
/// - a kept pool counts as used in its arena's `freePoolCount`, and as unused in the report;
/// - a kept pool never holds back an arena CPython's rule would give back: when only kept pools keep an arena from
///   being wholly free, and the arena would be released or counted among the retained ones, they go to its free
///   list first.
extension PymallocHeap {
  /// Whether `pool`, just emptied, stays on its class's used list: it must be the list's only pool, and its arena
  /// must keep another used pool besides the kept ones, or be kept anyway (``_keepsWithoutCounting(_:)``).
  @inlinable
  @inline(__always)
  internal func _keepsEmptyPool(_ pool: _Pool, in arena: _Arena) -> Bool {
    guard pool.pointee.nextPool == pool.pointee.previousPool else { return false }  // both are the sentinel
    if _keepsWithoutCounting(arena) { return true }
    let free = arena.pointee.freePoolCount
    // At most one kept pool per class, `pool` among them: with fewer free pools than this, another used pool
    // remains.
    if free + _Layout.sizeClassCount < arena.pointee.totalPoolCount { return true }
    // `pool` is already its class's kept pool here (the empty head of its list), so the count includes it.
    return free + _keptEmptyPoolCount(in: arena) < arena.pointee.totalPoolCount
  }

  /// Whether `arena`'s kept empty pools are all that keeps it from being wholly free, in a case where that
  /// matters: it would be released, or counted among the retained wholly free arenas.
  @usableFromInline
  internal func _onlyKeptPoolsHoldBack(_ arena: _Arena) -> Bool {
    let free = arena.pointee.freePoolCount
    guard free < arena.pointee.totalPoolCount, free + _Layout.sizeClassCount >= arena.pointee.totalPoolCount,
      !_keepsWithoutCounting(arena)
    else { return false }
    return free + _keptEmptyPoolCount(in: arena) == arena.pointee.totalPoolCount
  }

  /// The kept empty pools of `arena`, counted without building the list: the free path asks whenever a nearly
  /// free arena empties a pool.
  @usableFromInline
  internal func _keptEmptyPoolCount(in arena: _Arena) -> Int {
    let index = _state.pointee.index(of: arena)
    return (0..<_Layout.sizeClassCount).count { _state._keptEmptyPool(ofClass: $0)?.pointee.arenaIndex == index }
  }

  /// Whether a pool can be kept in `arena` without checking what else holds the arena: CPython's rule
  /// (``PymallocOptions/retainedEmptyArenas`` = 1) would keep the arena, wholly free, as the tail; or the heap
  /// retains several wholly free arenas (K > 1), and then an arena held only by kept pools stays without counting
  /// among the K — at most one such arena per class.
  @inlinable
  internal func _keepsWithoutCounting(_ arena: _Arena) -> Bool {
    let retained = _state.pointee.options.retainedEmptyArenas
    return retained > 1 || (retained == 1 && arena.pointee.nextArena == nil)
  }

  /// Moves the kept empty pools of `arena` to its free list: the arena would otherwise go back to the OS.
  @usableFromInline
  internal func _releaseKeptEmptyPools(of arena: _Arena) {
    let index = _state.pointee.index(of: arena)
    for pool in _state._keptEmptyPools where pool.pointee.arenaIndex == index {
      pool._unlink()
      _moveToFreePools(pool, of: arena)
    }
  }
}
