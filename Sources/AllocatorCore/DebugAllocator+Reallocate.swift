//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension DebugAllocator {
  /// CPython's debug `realloc`: checks the block, poisons the old data so that use after reallocation is visible,
  /// resizes through the base, then restores the saved bytes and fills any growth with 0xCD. On failure the old block
  /// is restored exactly and `nil` is returned.
  public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard let pointer else { return allocate(byteCount: byteCount) }
    guard _checkHolder(function: "_PyMem_DebugRealloc") else { return nil }
    guard let block = _validatedBlock(pointer, function: "_PyMem_DebugRawRealloc", freeing: false) else { return nil }
    guard AllocationLimits.isSatisfiable(byteCount),
      let total = _DebugBlock.underlyingSize(requestedSize: byteCount, frontGap: _DebugBlock.headerSize)
    else { return nil }
    guard block.alignmentShift == 0 else { return _reallocateAligned(block, byteCount: byteCount) }

    let original = block.requestedSize
    let oldMemory = block.base  // read before poisoning overwrites the header
    let saved = _PoisonedData(poisoning: block)
    guard let memory = base.reallocate(oldMemory, byteCount: total) else {
      block.writeFrame(requestedSize: original, apiIdentifier: apiIdentifier)
      saved.restore(into: block.user, newSize: original)
      return nil
    }
    let resized = _DebugBlock(base: memory)
    resized.writeFrame(requestedSize: byteCount, apiIdentifier: apiIdentifier)
    saved.restore(into: resized.user, newSize: byteCount)
    if byteCount > original {
      (resized.user + original).initializeMemory(
        as: UInt8.self, repeating: _DebugBlock.cleanByte, count: byteCount - original)
    }
    context._count(family, blocks: 0, bytes: byteCount - original)
    context._forgetTraceback(for: block.user)
    context._recordTraceback(for: resized.user)
    return resized.user
  }

  /// Aligned blocks move: a new ordinary block, the data copied, the old block freed.
  private func _reallocateAligned(_ block: _DebugBlock, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard let moved = allocate(byteCount: byteCount) else { return nil }
    moved.copyMemory(from: block.user, byteCount: min(byteCount, block.requestedSize))
    _release(block)
    return moved
  }
}

/// The bytes CPython's debug `realloc` saves before poisoning the old block with 0xDD.
///
/// Blocks up to 128 bytes are saved whole and the whole block (header, data, tail) is poisoned; larger ones save their
/// first and last 64 data bytes, and poison the header with the first 64 bytes and the last 64 with the tail.
private struct _PoisonedData {
  static let erasedSize = 64

  let originalSize: Int
  let head: [UInt8]
  let tail: [UInt8]

  init(poisoning block: _DebugBlock) {
    let size = block.requestedSize
    let user = block.user
    let erased = Self.erasedSize
    originalSize = size
    if size <= 2 * erased {
      head = Array(UnsafeRawBufferPointer(start: user, count: size))
      tail = []
      poison(user - _DebugBlock.headerSize, count: size + _DebugBlock.overhead)
    } else {
      head = Array(UnsafeRawBufferPointer(start: user, count: erased))
      tail = Array(UnsafeRawBufferPointer(start: user + size - erased, count: erased))
      poison(user - _DebugBlock.headerSize, count: _DebugBlock.headerSize + erased)
      poison(user + size - erased, count: erased + _DebugBlock.padCount)
    }
  }

  /// Writes back what still fits in a block of `newSize` data bytes.
  func restore(into user: UnsafeMutableRawPointer, newSize: Int) {
    head.withUnsafeBytes { user.copyMemory(from: $0.baseAddress!, byteCount: min(newSize, head.count)) }
    let tailStart = originalSize - Self.erasedSize
    guard !tail.isEmpty, newSize > tailStart else { return }
    tail.withUnsafeBytes { (user + tailStart).copyMemory(from: $0.baseAddress!, byteCount: min(tail.count, newSize - tailStart)) }
  }

  private func poison(_ start: UnsafeMutableRawPointer, count: Int) {
    start.initializeMemory(as: UInt8.self, repeating: _DebugBlock.deadByte, count: count)
  }
}
