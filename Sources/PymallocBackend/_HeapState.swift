//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CPymallocShim

/// Everything one pymalloc heap knows (CPython 3.12's per-interpreter `_obmalloc_state`).
///
/// A ``PymallocHeap`` value holds a pointer to one of these; copies of the heap share it. The 32 heads of the
/// used-pool lists follow the state in the same allocation (see ``_HeapStatePointer/_usedPools(_:)``), so the
/// allocation fast path finds its class's head at a constant offset from the state pointer, without a further
/// load.
@usableFromInline
internal struct _HeapState {
  /// This heap's name in the process-wide arena map (1 … 65535): the owner the map records for its arenas.
  @usableFromInline
  internal let heapID: UInt16

  /// Whether other threads may free blocks into this heap: it is one of a ``ConcurrentPymallocHeap``'s thread
  /// heaps (see `PymallocHeap+RemoteFrees.swift`). The slow paths ask; the fast paths never do.
  @usableFromInline
  internal let acceptsRemoteFrees: Bool

  /// Whether the heap runs the hardened paths (``PymallocOptions/hardened``): the one flag the fast paths test,
  /// next to ``heapID`` in the state's first word (see `PymallocHeap+Hardening.swift`).
  @usableFromInline
  internal let isHardened: Bool

  /// Whether a pool is carved whole, in a random order, when it is initialised for a class
  /// (``PymallocOptions/carvesInRandomOrder``); only the pool initialisation asks.
  @usableFromInline
  internal let carvesInRandomOrder: Bool

  /// The hardened mode's secret: a word from `getrandom`, keying free-list links, free marks and pool check
  /// values; 0 in an ordinary heap.
  @usableFromInline
  internal let secret: UInt

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

  /// Where arenas come from.
  @usableFromInline
  internal let arenaSource: ArenaSource

  /// The heap's options.
  @usableFromInline
  internal let options: PymallocOptions

  /// The random carving order's generator, seeded from `getrandom` when ``carvesInRandomOrder``; never used (and
  /// seeded with 0) otherwise.
  @usableFromInline
  internal var carvingGenerator: _CarvingGenerator

  /// The bytes from the state's start to the used-pool heads: the state rounded up to a cache line, so that each
  /// class's two head words share one line.
  @inlinable
  @inline(__always)
  internal static var _usedPoolHeadsOffset: Int { (MemoryLayout<_HeapState>.stride + 63) & ~63 }

  /// The bytes from the state's start to its remote-free words, after the heads, on a cache line of their own.
  @inlinable
  @inline(__always)
  internal static var _remoteFreeStateOffset: Int { _usedPoolHeadsOffset + 2 * _Layout.sizeClassCount * 8 }

  /// The bytes from the state's start to its fingers (``lastArenaWithFreePools``), after the remote-free words.
  @inlinable
  @inline(__always)
  internal static var _fingersOffset: Int { _remoteFreeStateOffset + MemoryLayout<_RemoteFreeState>.stride }

  /// The bytes from the state's start to the block-boundary multipliers (``_HeapStatePointer/_blockMultipliers``), after
  /// the fingers.
  @inlinable
  @inline(__always)
  internal static var _blockMultipliersOffset: Int {
    _fingersOffset + (_Layout.maximumPoolsInArena + 1) * MemoryLayout<_Arena?>.stride
  }

  /// The bytes of the state's mapping: the state, 16 bytes of heads per class, the remote-free words, the fingers,
  /// a 32-bit multiplier per class.
  internal static var _mappingSize: Int {
    _blockMultipliersOffset + _Layout.sizeClassCount * MemoryLayout<UInt32>.stride
  }

  /// A heap with no arena, named `heapID` in the arena map.
  internal init(
    heapID: UInt16, arenaSource: ArenaSource, options: PymallocOptions, acceptsRemoteFrees: Bool,
    fingers: UnsafeMutablePointer<_Arena?>
  ) {
    self.heapID = heapID
    self.acceptsRemoteFrees = acceptsRemoteFrees
    isHardened = options.hardened
    secret = options.hardened ? UInt(sm_random_word()) : 0
    carvesInRandomOrder = options.carvesInRandomOrder
    carvingGenerator = _CarvingGenerator(seed: options.carvesInRandomOrder ? sm_random_word() : 0)
    lastArenaWithFreePools = fingers
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
    self.arenaSource = arenaSource
    self.options = options
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

  /// The attached arenas, in descriptor order.
  internal var attachedArenas: [_Arena] {
    var attached: [_Arena] = []
    forEachAttachedArena { attached.append($0) }
    return attached
  }

  /// Calls `body` on each attached arena, in descriptor order, allocating nothing. `body` may release the arena.
  internal func forEachAttachedArena(_ body: (_Arena) -> Void) {
    guard let arenas else { return }
    for arena in arenas..<(arenas + maximumArenaCount) where arena.pointee.address != nil { body(arena) }
  }
}

/// The pointer a heap holds: the state, with the used-pool heads after it.
@usableFromInline
internal typealias _HeapStatePointer = UnsafeMutablePointer<_HeapState>

extension UnsafeMutablePointer where Pointee == _HeapState {
  /// Maps and initialises a state with every used list empty, and names it in the arena map. Mapped, not
  /// allocated: a process allocator makes heaps from inside `malloc`.
  internal static func _make(
    arenaSource: ArenaSource, options: PymallocOptions, remoteFrees: _RemoteFreeState? = nil
  ) -> _HeapStatePointer {
    guard let memory = _MemoryMapping.map(_HeapState._mappingSize) else {
      preconditionFailure("no memory for a pymalloc heap's state (\(_HeapState._mappingSize) bytes)")
    }
    let heapID = sm_pymalloc_heap_id_acquire(memory)
    precondition(heapID != 0, "more than 65 535 pymalloc heaps at once")
    let state = memory.bindMemory(to: _HeapState.self, capacity: 1)
    let fingers = (memory + _HeapState._fingersOffset).bindMemory(to: _Arena?.self, capacity: 1)
    state.initialize(
      to: _HeapState(
        heapID: heapID, arenaSource: arenaSource, options: options, acceptsRemoteFrees: remoteFrees != nil,
        fingers: fingers))
    state._remoteFrees.initialize(to: remoteFrees ?? _RemoteFreeState(allocator: nil))
    for sizeIndex in 0..<_Layout.sizeClassCount {
      let sentinel = state._usedPools(sizeIndex)
      sentinel.pointee.nextPool = sentinel
      sentinel.pointee.previousPool = sentinel
      state._blockMultipliers[sizeIndex] = UInt32.max / UInt32(_SizeClass.blockSize(ofIndex: sizeIndex)) &+ 1
    }
    return state
  }

  /// Frees the state and its tables; arenas and descriptors are the heap's to release first.
  internal func _release() {
    sm_pymalloc_heap_id_release(pointee.heapID)
    _remoteFrees.deinitialize(count: 1)
    deinitialize(count: 1)
    _MemoryMapping.unmap(UnsafeMutableRawPointer(self), _HeapState._mappingSize)
  }

  /// The sentinel of class `sizeIndex`'s used list (CPython's `usedpools[2i]` pseudo pool): the list is empty when
  /// it links to itself.
  ///
  /// The class's two head words sit at `heads + 16 × sizeIndex`; the sentinel is the pseudo pool header 16 bytes
  /// below them, whose `nextPool` and `previousPool` (at +16 and +24) are those words. Its other fields overlap the
  /// previous class's heads or the state's tail and are never read or written.
  @inlinable
  @inline(__always)
  internal func _usedPools(_ sizeIndex: Int) -> _Pool {
    let heads = UnsafeMutableRawPointer(self) + _HeapState._usedPoolHeadsOffset
    return (heads + (sizeIndex &* 16 &- 16)).assumingMemoryBound(to: _PoolHeader.self)
  }

  /// The words other threads share with the heap's owner (all zero in a single-owner heap).
  @inlinable
  @inline(__always)
  internal var _remoteFrees: UnsafeMutablePointer<_RemoteFreeState> {
    (UnsafeMutableRawPointer(self) + _HeapState._remoteFreeStateOffset).assumingMemoryBound(to: _RemoteFreeState.self)
  }

  /// Per class, ⌈2³² / block size⌉: an offset `n` below the pool size from the first block is a block boundary
  /// exactly when `n × multiplier mod 2³² ≤ multiplier − 1` (Lemire's divisibility test, checked for every class
  /// and offset by `HardenedModeTests`), which ``_isBlockStart(_:)`` uses instead of a division.
  @inlinable
  @inline(__always)
  internal var _blockMultipliers: UnsafeMutablePointer<UInt32> {
    (UnsafeMutableRawPointer(self) + _HeapState._blockMultipliersOffset).assumingMemoryBound(to: UInt32.self)
  }

  /// Whether `pointer` is a block start of its pool's class: past the header, inside the pool, at a multiple of the
  /// block size — one multiplication, no division. (The pool's carving offset is not consulted: a hardened free
  /// also requires the block to lie below it.)
  @inlinable
  @inline(__always)
  internal func _isBlockStart(_ pointer: UnsafeRawPointer) -> Bool {
    let pool = _Pool.containing(pointer)
    let fromFirst = UInt(bitPattern: pointer - UnsafeRawPointer(pool) - _Layout.poolOverhead)  // wraps below
    let sizeIndex = Int(pool.pointee.sizeIndex)
    guard fromFirst < UInt(_Layout.poolSize), sizeIndex < _Layout.sizeClassCount else { return false }
    let multiplier = _blockMultipliers[sizeIndex]
    return UInt32(truncatingIfNeeded: fromFirst) &* multiplier <= multiplier &- 1
  }

  /// The kept empty pool of class `sizeIndex` (``PymallocOptions/keepsEmptyPoolPerClass``): the head of its used
  /// list when it has no block allocated.
  @inlinable
  @inline(__always)
  internal func _keptEmptyPool(ofClass sizeIndex: Int) -> _Pool? {
    let sentinel = _usedPools(sizeIndex)
    let head = sentinel.pointee.nextPool.unsafelyUnwrapped
    return head != sentinel && head.pointee.count == 0 ? head : nil
  }

  /// The kept empty pools, one per class at most.
  internal var _keptEmptyPools: [_Pool] {
    (0..<_Layout.sizeClassCount).compactMap(_keptEmptyPool(ofClass:))
  }
}
