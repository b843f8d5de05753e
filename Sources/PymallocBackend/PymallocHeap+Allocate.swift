//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The allocation path, from the public calls to a pool: `pymalloc_alloc`, `allocate_from_new_pool`.
extension PymallocHeap {
  /// Allocates `byteCount` bytes: 1 … 512 from a pool, anything else (and pymalloc's own failure) from `Raw`.
  @inlinable
  public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    if _isSmallRequest(byteCount), let block = _pymallocAllocate(byteCount) {
      _MemoryTracking.allocated(block, byteCount: byteCount, in: _state)
      _checkInvariants()
      return block
    }
    return _allocateRaw(byteCount)
  }

  /// Allocates `count × stride` zeroed bytes; pool blocks are cleared with `memset`, raw ones come from the raw
  /// allocator's zeroed allocation.
  @inlinable
  public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    guard let byteCount = AllocationLimits.zeroedByteCount(count: count, stride: stride) else { return nil }
    if _isSmallRequest(byteCount), let block = _pymallocAllocate(byteCount) {
      _MemoryTracking.allocated(block, byteCount: byteCount, in: _state)
      memset(block, 0, byteCount)
      _checkInvariants()
      return block
    }
    guard let block = raw.allocateZeroed(count: count, stride: stride) else { return nil }
    _state.pointee.rawAllocatedBlocks += 1
    return block
  }

  /// Alignments up to 16 are what every pool block has; larger ones are the raw allocator's business.
  @inlinable
  public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isValidAlignment(alignment) else { return nil }
    if alignment <= _Layout.alignment { return allocate(byteCount: byteCount) }
    guard let block = raw.allocate(byteCount: byteCount, alignment: alignment) else { return nil }
    _state.pointee.rawAllocatedBlocks += 1
    return block
  }

  // MARK: Internal API

  /// Whether pymalloc serves `byteCount` itself: `1 ... 512`.
  @inlinable
  @inline(__always)
  internal func _isSmallRequest(_ byteCount: Int) -> Bool {
    UInt(bitPattern: byteCount &- 1) < UInt(_Layout.smallRequestThreshold)
  }

  /// CPython's `pymalloc_alloc`: the head block of the class's first used pool; a hardened heap's own paths when
  /// it is one (the one test of ``_HeapState/isHardened`` on the way).
  ///
  /// - Returns: `nil` only when a new arena was needed and could not be had.
  @inlinable
  @inline(__always)
  internal func _pymallocAllocate(_ byteCount: Int) -> UnsafeMutableRawPointer? {
    guard !_state.pointee.isHardened else { return _hardenedAllocate(byteCount) }
    return _pymallocAllocate(byteCount, links: _PlainLinks.self)
  }

  /// `pymalloc_alloc` over the free lists `Links` reads.
  @inlinable
  @inline(__always)
  internal func _pymallocAllocate<Links: _FreeListLinks>(_ byteCount: Int, links: Links.Type)
    -> UnsafeMutableRawPointer?
  {
    let sizeIndex = _SizeClass.index(forByteCount: byteCount)
    guard
      let block = _allocateFromUsedPool(sizeIndex: sizeIndex, links: links)
        ?? _allocateFromNewPool(sizeIndex: sizeIndex, links: links)
    else { return nil }
    Links.markTaken(block)
    return block
  }

  /// The head block of class `sizeIndex`'s first used pool, or `nil` when the class has none (or, hardened, when
  /// the pool's free list proved corrupt and was dropped).
  @inlinable
  @inline(__always)
  internal func _allocateFromUsedPool<Links: _FreeListLinks>(sizeIndex: Int, links: Links.Type)
    -> UnsafeMutableRawPointer?
  {
    let sentinel = _state._usedPools(sizeIndex)
    let pool = sentinel.pointee.nextPool.unsafelyUnwrapped
    guard pool != sentinel else { return nil }
    // Invariant: a used pool always has a free block; when its list runs dry it is extended or leaves the list.
    guard case let (block, listIsEmpty)? = pool._popFreeBlock(sizeIndex: sizeIndex, links: links, in: _state) else {
      _dropCorruptFreeList(of: pool, links: links)
      return nil
    }
    if listIsEmpty { _replenishRanDryPool(pool, links: links) }
    return block
  }

  /// A used pool whose free list ran dry: it carves its next block, or is full and leaves its class's list (a full
  /// pool is on no list).
  @inlinable
  @inline(__always)
  internal func _replenishRanDryPool<Links: _FreeListLinks>(_ pool: _Pool, links: Links.Type) {
    if !pool._extendFreeList(links: links, in: _state) { _retireRanDryPool(pool, links: links) }
  }

  /// CPython's `allocate_from_new_pool`: takes a pool for class `sizeIndex` when the class has no used pool, and
  /// returns its first block.
  ///
  /// The pool comes from the head of the usable list (the most used arena): one of its empty pools if it has
  /// any, else the next never-carved pool. An empty pool that last served the same class keeps its free list and
  /// skips initialisation — unless a hardened heap finds its header or free list corrupt: an empty pool holds no
  /// live block, so it is initialised afresh.
  @inlinable
  @inline(never)
  internal func _allocateFromNewPool<Links: _FreeListLinks>(sizeIndex: Int, links: Links.Type)
    -> UnsafeMutableRawPointer?
  {
    // Blocks other threads freed into full pools may have given the class a used pool again.
    if _state.pointee.acceptsRemoteFrees, _freeDelayedBlocks(),
      let block = _allocateFromUsedPool(sizeIndex: sizeIndex, links: links)
    {
      return block
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
    pool._linkAtFront(of: _state._usedPools(sizeIndex))
    guard pool.pointee.sizeIndex == UInt16(truncatingIfNeeded: sizeIndex), _isReusable(pool, links: links) else {
      return pool._initialize(sizeIndex: sizeIndex, links: links, in: _state)
    }
    // Reuse without initialisation: an empty pool holds every block it ever carved (at least two) on its free
    // list, so one remains after the pop and the pool is validly `used` — unless, hardened, a link replayed from
    // a block of the same page decoded to `nil` and cut the list short: the pool then carves or leaves its
    // list, as a used pool whose list ran dry (the cut-off blocks are lost, never handed out).
    pool.pointee.count = 0
    guard case let (block, listIsEmpty)? = pool._popFreeBlock(sizeIndex: sizeIndex, links: links, in: _state) else {
      _state._reportCorruption(.corruptFreeList, block: pool.pointee.freeBlock, pool: pool)
      return pool._initialize(sizeIndex: sizeIndex, links: links, in: _state)
    }
    if listIsEmpty { _replenishRanDryPool(pool, links: links) }
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
    pool.pointee.remoteFreeBlocks = 0
    return pool
  }

  /// Serves a request from the raw allocator and counts it.
  @inlinable
  @inline(never)
  internal func _allocateRaw(_ byteCount: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount), let block = raw.allocate(byteCount: byteCount) else {
      return nil
    }
    _state.pointee.rawAllocatedBlocks += 1
    return block
  }
}
