//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension PymallocHeap {
  /// Resizes a block following CPython's rules.
  ///
  /// - A pool block stays in place when the new size fits its class and shrinks it by less than 25 %
  ///   (`byteCount ≤ size` and `4 · byteCount > 3 · size`); otherwise it moves to a fresh block (pool or raw), the
  ///   first `min(byteCount, size)` bytes are copied, and the old block is freed.
  /// - Any other pointer is the raw allocator's: it is resized there, even when the new size is small
  ///   (pymalloc never adopts a foreign block, whose size it cannot know).
  /// - On failure `nil` is returned and the old block stays valid.
  @inlinable
  public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard let pointer else { return allocate(byteCount: byteCount) }
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    guard _state.pointee.arenaMap.contains(pointer) else { return raw.reallocate(pointer, byteCount: byteCount) }
    let size = _Pool.containing(pointer)._blockSize
    if byteCount <= size, 4 * byteCount > 3 * size { return pointer }
    guard let moved = allocate(byteCount: byteCount) else { return nil }
    moved.copyMemory(from: pointer, byteCount: min(byteCount, size))
    _freeSmall(pointer)  // the map already said it is a pool block
    _checkInvariants()
    return moved
  }
}
