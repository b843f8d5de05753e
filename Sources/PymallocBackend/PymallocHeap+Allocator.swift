//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension PymallocHeap {
  /// Allocates `byteCount` bytes: 1 … 512 from a pool, anything else (and pymalloc's own failure) from `Raw`.
  @inlinable
  public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    if _isSmallRequest(byteCount), let block = _allocateSmall(byteCount) {
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
    if _isSmallRequest(byteCount), let block = _allocateSmall(byteCount) {
      memset(block, 0, byteCount)
      _checkInvariants()
      return block
    }
    guard let block = raw.allocateZeroed(count: count, stride: stride) else { return nil }
    _state.pointee.rawAllocatedBlocks += 1
    return block
  }

  /// Frees a block: pool blocks go back to their pool, every other pointer to `Raw`. `nil` is a no-op.
  @inlinable
  public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    if _state.pointee.arenaMap.contains(pointer) {
      if _state.pointee.freedBlocks.capacity > 0 { return _holdOrFree(pointer) }
      _freeSmall(pointer)
      _checkInvariants()
    } else {
      _deallocateRaw(pointer)
    }
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

  /// The block size of a pool block; the raw allocator's answer for anything else.
  @inlinable
  public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    guard _state.pointee.arenaMap.contains(pointer) else { return raw.usableSize(of: pointer) }
    return _Pool.containing(pointer)._blockSize
  }

  /// Live blocks: raw blocks handed out by this heap plus allocated pool blocks (`sys.getallocatedblocks()`).
  ///
  /// - Complexity: O(carved pools), as CPython walks its arenas since 3.9.
  public var allocatedBlocks: Int {
    _returnCachedBlocks()
    return _census().allocatedBlocks
  }

  // MARK: Internal API

  /// Whether pymalloc serves `byteCount` itself: `1 ... 512`.
  @inlinable
  @inline(__always)
  internal func _isSmallRequest(_ byteCount: Int) -> Bool {
    UInt(bitPattern: byteCount &- 1) < UInt(_Layout.smallRequestThreshold)
  }

  /// The allocation fast path: the class's most recently held freed block, else the head block of its first used
  /// pool.
  ///
  /// - Returns: `nil` only when a new arena was needed and could not be had.
  @inlinable
  @inline(__always)
  internal func _allocateSmall(_ byteCount: Int) -> UnsafeMutableRawPointer? {
    let sizeIndex = _SizeClass.index(forByteCount: byteCount)
    let sentinel = _state.pointee.usedPools + sizeIndex
    if sentinel.pointee.count > 0 { return _state.pointee.freedBlocks.take(from: sentinel) }
    let pool = sentinel.pointee.nextPool.unsafelyUnwrapped
    guard pool != sentinel else { return _allocateFromNewPool(sizeIndex: sizeIndex) }
    // A used pool always has a free block: when the list runs dry it is extended, or the pool leaves the list.
    let (block, listIsEmpty) = pool._popFreeBlock()
    if listIsEmpty, !pool._extendFreeList() {
      pool._unlink()  // used → full: a full pool is on no list.
    }
    return block
  }

  /// The free fast path for a block the arena map says is ours.
  @inlinable
  @inline(__always)
  internal func _freeSmall(_ block: UnsafeMutableRawPointer) {
    let pool = _Pool.containing(block)
    let previousHead = pool._pushFreeBlock(block)
    if previousHead == nil {
      _poolLeftFullState(pool)
    } else if pool.pointee.count == 0 {
      _poolBecameEmpty(pool)
    }
  }

  /// Frees a block of the raw allocator and counts it. Out of line, so that the pool free path saves no registers
  /// for a call it does not make.
  @inlinable
  @inline(never)
  internal func _deallocateRaw(_ pointer: UnsafeMutableRawPointer) {
    raw.deallocate(pointer)
    _state.pointee.rawAllocatedBlocks -= 1
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
