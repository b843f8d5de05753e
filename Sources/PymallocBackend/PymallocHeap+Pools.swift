//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The slow paths: pool state transitions and arena attachment.
extension PymallocHeap {
  /// Takes a pool for class `sizeIndex` when the class has no used pool, and returns its first block.
  ///
  /// The pool comes from the head of the usable list (the most used arena): one of its empty pools if it has
  /// any, else the next never-carved pool. An empty pool that last served the same class keeps its free list and
  /// skips initialisation.
  @inlinable
  @inline(never)
  internal func _allocateFromNewPool(sizeIndex: Int) -> UnsafeMutableRawPointer? {
    if _state.pointee.usableArenas == nil {
      _returnCachedBlocks()  // the heap never grows while it holds freed blocks: they may empty a pool
    }
    if _state.pointee.usableArenas == nil {
      guard let arena = _newArena() else { return nil }
      _state.pointee.installSoleUsableArena(arena)
    }
    let arena = _state.pointee.headArenaLosesPool()
    let pool: _Pool
    if let empty = arena.pointee.freePools {
      arena.pointee.freePools = empty.pointee.nextPool
      arena.pointee.reusedPools |= UInt64(1) << arena._index(of: empty)
      pool = empty
    } else {
      pool = _takeBlankPool(from: arena)
    }
    pool._linkAtFront(of: _state.pointee.usedPools + sizeIndex)
    guard pool.pointee.sizeIndex == UInt32(sizeIndex) else {
      return pool._initialize(sizeIndex: sizeIndex)
    }
    // Reuse without initialisation: an empty pool holds every block it ever carved (at least two) on its free
    // list, so one remains after the pop and the pool is validly `used`.
    pool.pointee.count = 0
    let (block, listIsEmpty) = pool._popFreeBlock()
    assert(!listIsEmpty, "a reused empty pool keeps at least one free block")
    return block
  }

  /// A pool with no header yet: the lowest purged pool (its pages read as zeros), else the next never-carved one.
  @inlinable
  @inline(__always)
  internal func _takeBlankPool(from arena: _Arena) -> _Pool {
    let pool: _Pool
    let purged = arena.pointee.purgedPools
    if purged != 0 {
      arena.pointee.purgedPools = purged & (purged &- 1)
      pool = arena._pool(at: purged.trailingZeroBitCount)
    } else {
      pool = arena.pointee.poolAddress.unsafelyUnwrapped.bindMemory(to: _PoolHeader.self, capacity: 1)
      arena.pointee.poolAddress = pool._base + _Layout.poolSize
    }
    pool.pointee.arenaIndex = _state.pointee.index(of: arena)
    pool.pointee.sizeIndex = _Layout.dummySizeIndex
    return pool
  }

  /// A block was freed in a full pool: the pool is used again, at the front of its class's list, so the next
  /// allocation of the class returns the block just freed — behind the class's kept empty pool, if it has one,
  /// which stays the head of the list.
  @inlinable
  @inline(never)
  internal func _poolLeftFullState(_ pool: _Pool) {
    let sentinel = _state.pointee.usedPools + Int(pool.pointee.sizeIndex)
    let head = sentinel.pointee.nextPool.unsafelyUnwrapped
    pool._linkAtFront(of: head != sentinel && head.pointee.count == 0 ? head : sentinel)
  }

  /// The last block of a used pool was freed: the pool leaves its class's list for the front of its arena's
  /// free-pool list, and the arena is re-sorted or released.
  @inlinable
  @inline(never)
  internal func _poolBecameEmpty(_ pool: _Pool) {
    let arena = _state.pointee.arena(at: pool.pointee.arenaIndex)
    let keeps = _state.pointee.options.keepsEmptyPoolPerClass
    if keeps, _keepsEmptyPool(pool, in: arena) { return }
    pool._unlink()
    _moveToFreePools(pool, of: arena)
    if keeps, arena.pointee.address != nil, _onlyKeptPoolsHoldBack(arena) {
      _releaseKeptEmptyPools(of: arena)
    }
  }

  /// Puts an empty pool, already off every list, on its arena's free list, and re-sorts or releases the arena.
  @inlinable
  @inline(__always)
  internal func _moveToFreePools(_ pool: _Pool, of arena: _Arena) {
    pool.pointee.nextPool = arena.pointee.freePools
    arena.pointee.freePools = pool
    if _state.pointee.arenaGainedPool(arena) {
      _releaseArena(arena)
    } else {
      _state.pointee.purgeAfterPoolEmptied(pool, in: arena)
    }
  }

  /// Whether `pool`, just emptied, stays on its class's used list (``PymallocOptions/keepsEmptyPoolPerClass``):
  /// it must be the list's only pool, and its arena must keep another used pool, or be kept anyway
  /// (``_keepsWithoutCounting(_:)``). Arenas that become wholly free otherwise behave exactly as without the option
  /// (released, or counted towards ``PymallocOptions/retainedEmptyArenas``).
  @inlinable
  @inline(__always)
  internal func _keepsEmptyPool(_ pool: _Pool, in arena: _Arena) -> Bool {
    guard pool.pointee.nextPool == pool.pointee.previousPool else { return false }  // both are the sentinel
    if _keepsWithoutCounting(arena) { return true }
    let freeWith = arena.pointee.freePoolCount + 1
    // At most one kept pool per other class: with fewer free pools than this, another used pool remains.
    if freeWith + _Layout.sizeClassCount - 1 < arena.pointee.totalPoolCount { return true }
    return freeWith + _keptEmptyPoolCount(in: arena) < arena.pointee.totalPoolCount
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

  /// The kept empty pools of `arena`: the heads of the class lists with no block allocated that lie in it.
  /// Counted without building the list: the free path asks whenever a nearly free arena empties a pool.
  @usableFromInline
  internal func _keptEmptyPoolCount(in arena: _Arena) -> Int {
    let index = _state.pointee.index(of: arena)
    return (0..<_Layout.sizeClassCount).count { _state.pointee.keptEmptyPool(ofClass: $0)?.pointee.arenaIndex == index }
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
    for pool in _state.pointee.keptEmptyPools where pool.pointee.arenaIndex == index {
      pool._unlink()
      _moveToFreePools(pool, of: arena)
    }
  }

  /// Returns a wholly free arena, already off the usable list, to the arena source.
  @usableFromInline
  internal func _releaseArena(_ arena: _Arena) {
    let base = arena.pointee.address.unsafelyUnwrapped
    _state.pointee.arenaMap.unmark(arenaAt: base)
    arena.pointee.address = nil
    arena.pointee.freePools = nil
    arena.pointee.purgedPools = 0
    arena.pointee.reusedPools = 0
    arena.pointee.nextArena = _state.pointee.unusedArenas
    _state.pointee.unusedArenas = arena
    _state.pointee.arenasCurrentlyAllocated -= 1
    _state.pointee.arenaSource.release(base, _Layout.arenaSize)
  }

  /// Attaches a new arena to an unused descriptor, growing the descriptor vector first if none is left.
  ///
  /// - Returns: `nil`, with the heap unchanged, when the vector cannot grow, the arena source has no memory, or
  ///   the arena map cannot record the arena.
  @usableFromInline
  internal func _newArena() -> _Arena? {
    if _state.pointee.options.printsStatisticsOnNewArena {
      _state.pointee.options.statisticsOutput(statisticsReport())
    }
    if _state.pointee.unusedArenas == nil, !_growArenaDescriptors() { return nil }
    guard let base = _state.pointee.arenaSource.obtain(_Layout.arenaSize) else { return nil }
    guard _state.pointee.arenaMap.mark(arenaAt: base, raw: raw) else {
      _state.pointee.arenaSource.release(base, _Layout.arenaSize)
      return nil
    }
    let arena = _state.pointee.unusedArenas.unsafelyUnwrapped
    _state.pointee.unusedArenas = arena.pointee.nextArena
    arena.pointee.address = base
    arena.pointee.freePools = nil
    arena.pointee.purgedPools = 0
    arena.pointee.reusedPools = 0
    arena.pointee.nextArena = nil
    arena.pointee.previousArena = nil
    arena.pointee.poolAddress = arena._firstPool
    arena.pointee.totalPoolCount = _Layout.maximumPoolsInArena - (arena._isUnaligned ? 1 : 0)
    arena.pointee.freePoolCount = arena.pointee.totalPoolCount
    _state.pointee.arenasCurrentlyAllocated += 1
    _state.pointee.arenasAllocatedTotal += 1
    _state.pointee.arenasHighWaterMark = max(
      _state.pointee.arenasHighWaterMark, _state.pointee.arenasCurrentlyAllocated)
    return arena
  }

  /// Grows the descriptor vector to 16 slots, then doubles it, with the raw allocator's reallocation.
  ///
  /// Moving the vector is safe: it only grows when no descriptor is unused, and then no arena is usable either
  /// (a usable arena would have been asked first), so no list or finger points into it; pools name their arena
  /// by index.
  @usableFromInline
  internal func _growArenaDescriptors() -> Bool {
    assert(_state.pointee.usableArenas == nil, "the vector moves only while no list points into it")
    let oldCount = _state.pointee.maximumArenaCount
    let newCount = oldCount == 0 ? _Layout.initialArenaDescriptorCount : oldCount * 2
    let (byteCount, overflow) = newCount.multipliedReportingOverflow(by: MemoryLayout<_ArenaDescriptor>.stride)
    guard !overflow,
      let memory = raw.reallocate(_state.pointee.arenas.map { UnsafeMutableRawPointer($0) }, byteCount: byteCount)
    else { return false }
    let arenas = memory.bindMemory(to: _ArenaDescriptor.self, capacity: newCount)
    for index in oldCount..<newCount {
      let next = index + 1 < newCount ? arenas + index + 1 : nil
      (arenas + index).initialize(to: .unused(next: next))
    }
    _state.pointee.arenas = arenas
    _state.pointee.unusedArenas = arenas + oldCount
    _state.pointee.maximumArenaCount = newCount
    return true
  }
}
