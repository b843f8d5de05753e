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

  /// The free path with the cache on: holds `block` when its pool is full and its class's row is not, and frees
  /// it to its pool otherwise. A full pool is on no list and cold: freeing to it would write its header and link it
  /// back at the front of its class's list. A pool with free blocks is in use — it may be the one requests come
  /// from — and holding its blocks would only make a free and a request of one class wait on each other. Out of
  /// line, so that the free path of a heap without the cache stays small enough to inline.
  @inlinable
  @inline(never)
  internal func _holdOrFree(_ block: UnsafeMutableRawPointer) {
    let pool = _Pool.containing(block)
    let sentinel = _state.pointee.usedPools + Int(pool.pointee.sizeIndex)
    if pool.pointee.freeBlock == nil, _state.pointee.freedBlocks.hold(block, in: sentinel) { return }
    _freeSmall(block)
    _checkInvariants()
  }

  /// Freed blocks the cache holds right now.
  public var cachedFreedBlocks: Int {
    (0..<_Layout.sizeClassCount).reduce(0) { $0 + (_state.pointee.usedPools + $1).pointee.count }
  }
}
