//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension PymallocHeap {
  #if PYMALLOC_INTERNAL_CHECKS
    /// Checks every structural invariant of the heap (build with `-Xswiftc -DPYMALLOC_INTERNAL_CHECKS`).
    @usableFromInline
    @inline(never)
    internal func _checkInvariants() {
      let state = _state.pointee
      // Used lists: circular, every member a used pool of that class in an attached arena of this heap, or the
      // class's kept empty pool.
      for sizeIndex in 0..<_Layout.sizeClassCount {
        let sentinel = _state._usedPools(sizeIndex)
        var pool = sentinel.pointee.nextPool.unsafelyUnwrapped
        while pool != sentinel {
          precondition(pool.pointee.nextPool.unsafelyUnwrapped.pointee.previousPool == pool, "broken used list")
          precondition(
            Int(pool.pointee.sizeIndex) == sizeIndex, "pool of class \(pool.pointee.sizeIndex) in \(sizeIndex)")
          precondition(_ArenaMap.owner(of: pool) == state.heapID, "a used pool lies in this heap's arenas")
          let kept = pool.pointee.count == 0 && state.options.keepsEmptyPoolPerClass
            && sentinel.pointee.nextPool == pool
          precondition(
            (pool.pointee.count > 0 || kept) && Int(pool.pointee.count) < _SizeClass.blocksPerPool(ofIndex: sizeIndex)
              && pool.pointee.freeBlock != nil, "a pool on a used list is used, or the class's kept empty pool")
          pool = pool.pointee.nextPool.unsafelyUnwrapped
        }
      }
      // Usable list: sorted ascending, fingers exact, members attached with a free pool.
      var expectedFingers = [_Arena?](repeating: nil, count: _Layout.maximumPoolsInArena + 1)
      var previous: _Arena? = nil
      var arena = state.usableArenas
      while let current = arena {
        precondition(current.pointee.address != nil && current.pointee.freePoolCount > 0, "usable arena")
        precondition(current.pointee.previousArena == previous, "broken usable list")
        if let previous {
          precondition(previous.pointee.freePoolCount <= current.pointee.freePoolCount, "usable list out of order")
        }
        expectedFingers[current.pointee.freePoolCount] = current
        previous = current
        arena = current.pointee.nextArena
      }
      for count in 0...(_Layout.maximumPoolsInArena) {
        precondition(state.lastArenaWithFreePools[count] == expectedFingers[count], "finger \(count) is wrong")
      }
      // Unused list: exactly the detached descriptors.
      var unused = 0
      var descriptor = state.unusedArenas
      while let current = descriptor {
        precondition(current.pointee.address == nil, "attached arena on the unused list")
        unused += 1
        descriptor = current.pointee.nextArena
      }
      precondition(unused + state.arenasCurrentlyAllocated == state.maximumArenaCount, "descriptor count")
      // Every arena's free pools: its empty pools plus its never-carved ones.
      let whollyFree = state.attachedArenas.filter { $0.pointee.freePoolCount == $0.pointee.totalPoolCount }
      precondition(whollyFree.count == state.whollyFreeArenas, "wholly free arena count")
      for current in state.attachedArenas {
        var empty = 0
        var pool = current.pointee.freePools
        while let emptyPool = pool {
          precondition(emptyPool.pointee.count == 0, "non-empty pool on a free-pool list")
          empty += 1
          pool = emptyPool.pointee.nextPool
        }
        precondition(current.pointee.reusedPools & current.pointee.purgedPools == 0, "a reused pool is purged")
        let carved = current._carvedPoolCount
        let purged = current.pointee.purgedPools.nonzeroBitCount
        precondition(
          current.pointee.freePoolCount == empty + purged + current.pointee.totalPoolCount - carved, "free pool count")
      }
      let census = _HeapCensus(_state)
      precondition(census.breakdownTotal == census.arenaCount * _Layout.arenaSize, "report Total")
    }

  #else
    /// Expensive invariant checks are compiled in with `-Xswiftc -DPYMALLOC_INTERNAL_CHECKS`.
    @inlinable
    @inline(__always)
    internal func _checkInvariants() {}
  #endif
}
