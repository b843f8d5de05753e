//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension PymallocHeap {
  /// Returns every freed block the cache holds (``PymallocOptions/blockCacheCapacity``) to its pool, as if it had
  /// been freed without the cache. The heap does so before it takes a new arena: held blocks may empty a pool.
  @usableFromInline
  @inline(never)
  internal func _returnCachedBlocks() {
    guard let cache = _state.pointee.freedBlocks else { return }
    for sizeIndex in 0..<_Layout.sizeClassCount {
      for block in cache.takeAll(ofClass: sizeIndex) {
        let pool = _Pool.containing(block)
        // A pool with free blocks never reaches the cache, so only the full-pool case needs bypassing it.
        if pool.pointee.freeBlock == nil { _pushIntoFullPool(block, pool) } else { _pymallocFree(block) }
      }
    }
    _checkInvariants()
  }

  /// Freed blocks the cache holds right now.
  public var cachedFreedBlocks: Int {
    guard let cache = _state.pointee.freedBlocks else { return 0 }
    return (0..<_Layout.sizeClassCount).reduce(0) { $0 + cache.heldCount(ofClass: $1) }
  }
}
