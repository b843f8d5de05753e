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

  /// CPython's `pymalloc_alloc`: the head block of the class's first used pool.
  ///
  /// - Returns: `nil` only when a new arena was needed and could not be had.
  @inlinable
  @inline(__always)
  internal func _pymallocAllocate(_ byteCount: Int) -> UnsafeMutableRawPointer? {
    let sizeIndex = _SizeClass.index(forByteCount: byteCount)
    return _allocateFromUsedPool(sizeIndex: sizeIndex) ?? _allocateFromNewPool(sizeIndex: sizeIndex)
  }

  /// The head block of class `sizeIndex`'s first used pool, or `nil` when the class has none.
  @inlinable
  @inline(__always)
  internal func _allocateFromUsedPool(sizeIndex: Int) -> UnsafeMutableRawPointer? {
    let sentinel = _state._usedPools(sizeIndex)
    let pool = sentinel.pointee.nextPool.unsafelyUnwrapped
    guard pool != sentinel else { return nil }
    // Invariant: a used pool always has a free block; when its list runs dry it is extended or leaves the list.
    let (block, listIsEmpty) = pool._popFreeBlock()
    if listIsEmpty, !pool._extendFreeList() {
      _retireRanDryPool(pool)  // used → full: a full pool is on no list.
    }
    return block
  }

  /// CPython's `allocate_from_new_pool`: takes a pool for class `sizeIndex` when the class has no used pool, and
  /// returns its first block.
  ///
  /// The pool comes from the head of the usable list (the most used arena): one of its empty pools if it has
  /// any, else the next never-carved pool. An empty pool that last served the same class keeps its free list and
  /// skips initialisation.
  @inlinable
  @inline(never)
  internal func _allocateFromNewPool(sizeIndex: Int) -> UnsafeMutableRawPointer? {
    // Blocks other threads freed into full pools may have given the class a used pool again.
    if _state.pointee.acceptsRemoteFrees, _freeDelayedBlocks(), let block = _allocateFromUsedPool(sizeIndex: sizeIndex) {
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
    guard pool.pointee.sizeIndex == UInt16(truncatingIfNeeded: sizeIndex) else {
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
