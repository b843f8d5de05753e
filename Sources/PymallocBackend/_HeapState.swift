//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Everything one pymalloc heap knows (CPython 3.12's per-interpreter `_obmalloc_state`).
///
/// A ``PymallocHeap`` value holds a pointer to one of these; copies of the heap share it.
@usableFromInline
internal struct _HeapState {
  /// 32 sentinels, one per size class: `usedPools[i]` heads the circular list of class i's *used* pools (at
  /// least one block allocated and one available). The list is empty when the sentinel links to itself. A
  /// sentinel's `count` is the number of freed blocks of its class that ``freedBlocks`` holds.
  @usableFromInline
  internal let usedPools: _Pool

  /// The descriptor vector, `maximumArenaCount` slots, grown with the raw allocator's reallocation.
  @usableFromInline
  internal var arenas: _Arena?

  /// Slots of ``arenas``.
  @usableFromInline
  internal var maximumArenaCount: Int

  /// Descriptors with no arena attached, singly linked through `nextArena`.
  @usableFromInline
  internal var unusedArenas: _Arena?

  /// Arenas with at least one available pool, doubly linked, in ascending order of free pools (most used
  /// first). New pools come from the head.
  @usableFromInline
  internal var usableArenas: _Arena?

  /// `lastArenaWithFreePools[k]` is the last arena on the usable list with exactly k free pools, or `nil`
  /// when there is none (CPython's `nfp2lasta`); 65 entries, for k = 0 … 64.
  @usableFromInline
  internal let lastArenaWithFreePools: UnsafeMutablePointer<_Arena?>

  /// Arenas attached right now.
  @usableFromInline
  internal var arenasCurrentlyAllocated: Int

  /// Arenas ever obtained from the arena source.
  @usableFromInline
  internal var arenasAllocatedTotal: Int

  /// The most arenas attached at one time.
  @usableFromInline
  internal var arenasHighWaterMark: Int

  /// Live blocks that this heap's entry points handed to the raw allocator.
  @usableFromInline
  internal var rawAllocatedBlocks: Int

  /// Attached arenas whose every pool is available.
  @usableFromInline
  internal var whollyFreeArenas: Int

  /// Pools still to become empty before the purge policy acts: its period (1 for `immediate`, K for
  /// `afterEmptyPools(K)`, `Int.max` for `off`) minus those emptied since it last acted, so that counting costs
  /// the free path one decrement whatever the policy.
  @usableFromInline
  internal var poolsUntilPurge: Int

  /// Pools whose pages were given back, over the heap's life.
  @usableFromInline
  internal var poolsPurged: Int

  /// The ownership radix tree.
  @usableFromInline
  internal var arenaMap: _ArenaMap

  /// Where arenas come from.
  @usableFromInline
  internal let arenaSource: ArenaSource

  /// The heap's options.
  @usableFromInline
  internal let options: PymallocOptions

  /// Freed blocks held back from their pools (``PymallocOptions/blockCacheCapacity``; off by default).
  @usableFromInline
  internal let freedBlocks: _FreedBlockCache

  /// A heap with no arena.
  internal init(arenaSource: ArenaSource, options: PymallocOptions) {
    let sentinels = _Pool.allocate(capacity: _Layout.sizeClassCount)
    for index in 0..<_Layout.sizeClassCount {
      let sentinel = sentinels + index
      sentinel.initialize(
        to: _PoolHeader(
          count: 0, freeBlock: nil, nextPool: sentinel, previousPool: sentinel, arenaIndex: 0,
          sizeIndex: UInt32(index), nextOffset: 0, maximumNextOffset: 0))
    }
    usedPools = sentinels
    lastArenaWithFreePools = .allocate(capacity: _Layout.maximumPoolsInArena + 1)
    lastArenaWithFreePools.initialize(repeating: nil, count: _Layout.maximumPoolsInArena + 1)
    arenas = nil
    maximumArenaCount = 0
    unusedArenas = nil
    usableArenas = nil
    arenasCurrentlyAllocated = 0
    arenasAllocatedTotal = 0
    arenasHighWaterMark = 0
    rawAllocatedBlocks = 0
    whollyFreeArenas = 0
    poolsUntilPurge = options.purge.period
    poolsPurged = 0
    arenaMap = _ArenaMap()
    self.arenaSource = arenaSource
    self.options = options
    freedBlocks = _FreedBlockCache(capacity: options.blockCacheCapacity)
  }

  /// Frees the sentinels and fingers; arenas, descriptors and map nodes are the heap's to release first.
  internal func releaseTables() {
    usedPools.deallocate()
    lastArenaWithFreePools.deallocate()
    freedBlocks.deallocate()
  }

  /// The descriptor at `index`.
  @inlinable
  @inline(__always)
  internal func arena(at index: UInt32) -> _Arena {
    arenas.unsafelyUnwrapped + Int(index)
  }

  /// The index of `arena` in the descriptor vector, as pools record it.
  @inlinable
  @inline(__always)
  internal func index(of arena: _Arena) -> UInt32 {
    UInt32(truncatingIfNeeded: arena - arenas.unsafelyUnwrapped)
  }

  /// The kept empty pools (``PymallocOptions/keepsEmptyPoolPerClass``): class-list heads with no block allocated.
  internal var keptEmptyPools: [_Pool] {
    (0..<_Layout.sizeClassCount).compactMap(keptEmptyPool(ofClass:))
  }

  /// The kept empty pool of class `sizeIndex`: the head of its used list when it has no block allocated.
  internal func keptEmptyPool(ofClass sizeIndex: Int) -> _Pool? {
    let sentinel = usedPools + sizeIndex
    let head = sentinel.pointee.nextPool.unsafelyUnwrapped
    return head != sentinel && head.pointee.count == 0 ? head : nil
  }

  /// The attached arenas, in descriptor order.
  internal var attachedArenas: [_Arena] {
    guard let arenas else { return [] }
    return (0..<maximumArenaCount).map { arenas + $0 }.filter { $0.pointee.address != nil }
  }
}
