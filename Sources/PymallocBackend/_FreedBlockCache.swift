//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Freed blocks of full pools held back from their pools, a LIFO list per size class
/// (``PymallocOptions/blockCacheCapacity``): the free writes only the block's first word — a full pool's header
/// is cold, and freeing to it would re-link it at the front of its class's list — and the next requests of the
/// class take the held blocks back first.
///
/// Each class's held list is the free list of a *pseudo pool*: a pool header in the cache's own memory, linked at
/// the front of the class's used list while it holds a block. The allocation fast path pops it as any used pool,
/// so a heap without the cache pays nothing for it, and a heap with it runs the same code:
///
///     usedPools[c] ─► pseudo pool c ─► used pool ─► used pool ─► …
///                     freeBlock ─► held ─► held ─► nil        (held blocks stay allocated in their own pools)
///                     count = 0 − held (mod 2^16)             (the fast path's `count += 1` takes one back)
///                     nextOffset 1 > maximumNextOffset 0      (never extended: when it runs dry it leaves the list)
///
/// Invariant: every held block is a pool block of its list's class that its pool counts as allocated; the figures
/// count held blocks as available, and the heap returns them to their pools (``PymallocHeap/_returnCachedBlocks()``)
/// before it takes a new arena, so growth stays CPython's.
@usableFromInline
@frozen
internal struct _FreedBlockCache {
  /// 32 pseudo pool headers, one per class.
  @usableFromInline
  internal let _pools: _Pool

  /// Blocks a class may hold, 1 … ``PymallocOptions/maximumBlockCacheCapacity``.
  @usableFromInline
  internal let capacity: Int

  /// An empty cache of `capacity` blocks per class.
  internal init(capacity: Int) {
    self.capacity = capacity
    _pools = .allocate(capacity: _Layout.sizeClassCount)
    for sizeIndex in 0..<_Layout.sizeClassCount {
      (_pools + sizeIndex).initialize(
        to: _PoolHeader(
          count: 0, sizeIndex: UInt16(sizeIndex), nextOffset: 1, maximumNextOffset: 0, freeBlock: nil, nextPool: nil,
          previousPool: nil, remoteFreeBlocks: 0, arenaIndex: 0, _reserved: 0))
    }
  }

  /// Frees the pseudo pools (the blocks held are the heap's to return first).
  internal func deallocate() {
    _pools.deallocate()
  }

  /// The pseudo pool of class `sizeIndex`.
  @inlinable
  @inline(__always)
  internal func pool(ofClass sizeIndex: Int) -> _Pool { _pools + sizeIndex }

  /// Blocks class `sizeIndex` holds.
  @inlinable
  internal func heldCount(ofClass sizeIndex: Int) -> Int {
    Int(UInt16(0) &- pool(ofClass: sizeIndex).pointee.count)
  }

  /// Whether `pool` is one of the cache's pseudo pools.
  internal func isPseudoPool(_ pool: _Pool) -> Bool {
    pool >= _pools && pool < _pools + _Layout.sizeClassCount
  }

  /// Holds `block` for class `sizeIndex` of the heap at `state`; `false` when the class holds `capacity` already.
  @usableFromInline
  internal func hold(_ block: UnsafeMutableRawPointer, ofClass sizeIndex: Int, in state: _HeapStatePointer) -> Bool {
    let pseudo = pool(ofClass: sizeIndex)
    let held = UInt16(0) &- pseudo.pointee.count
    guard Int(held) < capacity else { return false }
    block.storeBytes(of: pseudo.pointee.freeBlock, as: UnsafeMutableRawPointer?.self)
    pseudo.pointee.freeBlock = block
    pseudo.pointee.count &-= 1
    // Behind the class's kept empty pool, which stays the head of the list.
    if held == 0 { pseudo._linkAtFront(of: state._keptEmptyPool(ofClass: sizeIndex) ?? state._usedPools(sizeIndex)) }
    return true
  }

  /// Takes class `sizeIndex`'s held blocks out of the cache, newest first, and takes its pseudo pool off the list.
  internal func takeAll(ofClass sizeIndex: Int) -> [UnsafeMutableRawPointer] {
    let pseudo = pool(ofClass: sizeIndex)
    guard pseudo.pointee.count != 0 else { return [] }
    pseudo._unlink()
    var blocks: [UnsafeMutableRawPointer] = []
    var next = pseudo.pointee.freeBlock
    while let block = next {
      blocks.append(block)
      next = block.load(as: UnsafeMutableRawPointer?.self)
    }
    pseudo.pointee.freeBlock = nil
    pseudo.pointee.count = 0
    return blocks
  }

  /// The blocks class `sizeIndex` holds, newest first, left in place.
  internal func heldBlocks(ofClass sizeIndex: Int) -> [UnsafeMutableRawPointer] {
    var blocks: [UnsafeMutableRawPointer] = []
    var next = pool(ofClass: sizeIndex).pointee.freeBlock
    while let block = next {
      blocks.append(block)
      next = block.load(as: UnsafeMutableRawPointer?.self)
    }
    return blocks
  }
}
