//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The checking touch: a header word with the block's size and the allocating worker's number, then every other
/// byte set to a value of the block's address and size. Whichever thread frees the block verifies all of it first
/// and counts the free as cross-thread when the header names another worker.
@usableFromInline
internal enum _PatternTouch: _BlockTouch {
  /// The sizes a header may name; any other size is a damaged header, and the block is not read further.
  @usableFromInline
  internal static let validSizes = 16...(1 << 20)

  /// The byte every data byte of a block at `block` of `size` bytes holds.
  @inlinable
  internal static func patternByte(_ block: UnsafeMutableRawPointer, size: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: (UInt(bitPattern: block) >> 4) &+ UInt(size))
  }

  @inlinable
  internal static func fill(_ block: UnsafeMutableRawPointer, size: Int, owner: Int) {
    block.storeBytes(of: UInt64(size) | UInt64(owner) << 32, as: UInt64.self)
    (block + 8).initializeMemory(as: UInt8.self, repeating: patternByte(block, size: size), count: size - 8)
  }

  @inlinable
  internal static func check(
    _ block: UnsafeMutableRawPointer, freer: Int, counters: UnsafeMutablePointer<_WorkerCounters>
  ) {
    let header = block.load(as: UInt64.self)
    let size = Int(header & 0xFFFF_FFFF)
    if Int(header >> 32) != freer { counters.pointee.crossThreadFrees += 1 }
    guard validSizes.contains(size) else {
      counters.pointee.damagedBlocks += 1
      return
    }
    let expected = patternByte(block, size: size)
    let data = UnsafeRawBufferPointer(start: block + 8, count: size - 8)
    if data.contains(where: { $0 != expected }) { counters.pointee.damagedBlocks += 1 }
  }
}
