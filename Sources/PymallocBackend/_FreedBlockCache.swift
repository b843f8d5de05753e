//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Freed pool blocks held back from their pools, a stack per size class (``PymallocOptions/blockCacheCapacity``):
/// a free records only the pointer — neither the block nor its pool header is written — and the next request of
/// the class takes the most recent one back.
///
///     usedPools[c].count   blocks held for class c (a sentinel's count is otherwise unused, and the allocation
///                          fast path reads the sentinel anyway)
///     slots                [c0: b b b · · ·][c1: b · · · · ·] …   capacity slots per class, the newest last
///
/// Invariant: every held block is a pool block of its row's class that the heap counts as allocated; the heap
/// returns them all to their pools (``PymallocHeap/_returnCachedBlocks()``) before its figures mean anything and
/// before it takes a new arena.
@usableFromInline
@frozen
internal struct _FreedBlockCache {
  /// `capacity` slots per class (none when the cache is off).
  @usableFromInline
  internal let _slots: UnsafeMutablePointer<UnsafeMutableRawPointer>

  /// Blocks a class may hold; 0 turns the cache off.
  @usableFromInline
  internal let capacity: Int

  /// An empty cache of `capacity` blocks per class.
  internal init(capacity: Int) {
    self.capacity = capacity
    _slots = .allocate(capacity: max(1, _Layout.sizeClassCount * capacity))
  }

  /// Frees the slots (the blocks held are the heap's to return first).
  internal func deallocate() {
    _slots.deallocate()
  }

  /// The most recently held block of the class whose used-pool sentinel is `sentinel`, taken out of the cache.
  ///
  /// - Precondition: the class holds a block (`sentinel.pointee.count > 0`).
  @inlinable
  @inline(__always)
  internal func take(from sentinel: _Pool) -> UnsafeMutableRawPointer {
    let count = sentinel.pointee.count &- 1
    sentinel.pointee.count = count
    return _slots[Int(sentinel.pointee.sizeIndex) &* capacity &+ count]
  }

  /// Holds `block` for the class whose used-pool sentinel is `sentinel`; `false` when its row is full.
  @inlinable
  @inline(__always)
  internal func hold(_ block: UnsafeMutableRawPointer, in sentinel: _Pool) -> Bool {
    let count = sentinel.pointee.count
    guard count < capacity else { return false }
    _slots[Int(sentinel.pointee.sizeIndex) &* capacity &+ count] = block
    sentinel.pointee.count = count &+ 1
    return true
  }

  /// The blocks held for the class whose used-pool sentinel is `sentinel`, oldest first.
  internal func blocks(in sentinel: _Pool) -> UnsafeMutableBufferPointer<UnsafeMutableRawPointer> {
    UnsafeMutableBufferPointer(
      start: _slots + Int(sentinel.pointee.sizeIndex) * capacity, count: sentinel.pointee.count)
  }
}
