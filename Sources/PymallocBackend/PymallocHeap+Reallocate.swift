//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension PymallocHeap {
  /// Resizes a block following CPython's rules.
  ///
  /// - A pool block stays in place when the new size fits its class and shrinks it by less than 25 %
  ///   (`byteCount ≤ size` and `4 · byteCount > 3 · size`); otherwise it moves to a fresh block (pool or raw), the
  ///   first `min(byteCount, size)` bytes are copied, and the old block is freed. With
  ///   ``PymallocOptions/reallocationHeadroom`` a growing block moves to a class with room to grow again, and
  ///   stays in place for as long as that class fits.
  /// - A pointer outside every pymalloc arena is the raw allocator's: it is resized there, even when the new size
  ///   is small (pymalloc never adopts a foreign block, whose size it cannot know). A block of another pymalloc
  ///   heap is refused (`nil`, said on standard error) and stays valid.
  /// - On failure `nil` is returned and the old block stays valid.
  @inlinable
  public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard let pointer else { return allocate(byteCount: byteCount) }
    return _reallocate(pointer, owner: _ArenaMap.owner(of: pointer), byteCount: byteCount)
  }

  /// ``reallocate(_:byteCount:)`` of a block whose arena map entry the caller has read (`owner`, 0 for none).
  @inlinable
  internal func _reallocate(
    _ pointer: UnsafeMutableRawPointer, owner: UInt16, byteCount: Int
  ) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    guard owner == _state.pointee.heapID else { return _reallocateNotOwned(pointer, owner: owner, byteCount) }
    let size = _Pool.containing(pointer)._blockSize
    let headroom = _state.pointee.options.reallocationHeadroom
    if byteCount <= size, _staysInPlace(byteCount, blockSize: size, headroom: headroom) {
      _MemoryTracking.resized(pointer, byteCount: byteCount, blockSize: size)
      return pointer
    }
    let request = headroom && byteCount > size ? _requestWithHeadroom(byteCount) : byteCount
    guard let moved = allocate(byteCount: request) else { return nil }
    _MemoryTracking.resized(pointer, byteCount: size, blockSize: size)  // the copy may read past the request
    moved.copyMemory(from: pointer, byteCount: min(byteCount, size))
    _pymallocFree(pointer)  // the map already said it is this heap's pool block
    _checkInvariants()
    return moved
  }

  /// Whether a block of `blockSize` bytes serves a reallocation to `byteCount ≤ blockSize` bytes in place.
  @inlinable
  @inline(__always)
  internal func _staysInPlace(_ byteCount: Int, blockSize: Int, headroom: Bool) -> Bool {
    guard headroom else { return 4 * byteCount > 3 * blockSize }
    // Any block a growing move could have picked for `byteCount` keeps it.
    return byteCount > 0 && blockSize <= _SizeClass.blockSize(ofIndex: _SizeClass.index(
      forByteCount: _requestWithHeadroom(byteCount)))
  }

  /// What a block outgrowing its class asks for under ``PymallocOptions/reallocationHeadroom``: half as much
  /// again, up to the largest class; requests beyond the classes are the raw allocator's, asked exactly.
  @inlinable
  @inline(__always)
  internal func _requestWithHeadroom(_ byteCount: Int) -> Int {
    guard byteCount <= _Layout.smallRequestThreshold else { return byteCount }
    return min(_Layout.smallRequestThreshold, byteCount + byteCount / 2)
  }

  /// A raw block is resized by the raw allocator; another heap's block is refused.
  @inlinable
  @inline(never)
  internal func _reallocateNotOwned(
    _ pointer: UnsafeMutableRawPointer, owner: UInt16, _ byteCount: Int
  ) -> UnsafeMutableRawPointer? {
    guard owner == 0 else {
      _refuseBlockOfAnotherHeap(pointer, owner: owner, operation: "reallocate")
      return nil
    }
    return raw.reallocate(pointer, byteCount: byteCount)
  }
}
