//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension PymallocHeap {
  /// Returns every freed block the cache holds (``PymallocOptions/blockCacheCapacity``) to its pool, as if it had
  /// been freed without the cache: before any figure is computed and before the heap takes a new arena.
  @usableFromInline
  @inline(never)
  internal func _returnCachedBlocks() {
    let cache = _state.pointee.freedBlocks
    guard cache.capacity > 0 else { return }
    for sizeIndex in 0..<_Layout.sizeClassCount {
      let sentinel = _state.pointee.usedPools + sizeIndex
      let blocks = cache.blocks(in: sentinel)
      sentinel.pointee.count = 0
      for block in blocks { _freeSmall(block) }
    }
    _checkInvariants()
  }

  /// The free path with the cache on: holds `block`, unless its pool is the one its class's requests come from
  /// (the block is then freed to it, and the next request takes it back from there just as cheaply) or its
  /// class's row is full. Out of line, so that the free path of a heap without the cache stays small enough to
  /// inline.
  @inlinable
  @inline(never)
  internal func _holdOrFree(_ block: UnsafeMutableRawPointer) {
    let pool = _Pool.containing(block)
    let sentinel = _state.pointee.usedPools + Int(pool.pointee.sizeIndex)
    // Holding a block of the head pool would only make a free and a request of one class wait on each other.
    if pool != sentinel.pointee.nextPool, _state.pointee.freedBlocks.hold(block, in: sentinel) { return }
    _freeSmall(block)
    _checkInvariants()
  }

  /// Freed blocks the cache holds right now.
  public var cachedFreedBlocks: Int {
    (0..<_Layout.sizeClassCount).reduce(0) { $0 + (_state.pointee.usedPools + $1).pointee.count }
  }
}
