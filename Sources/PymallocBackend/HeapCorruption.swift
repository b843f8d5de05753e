//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What a hardened pymalloc heap (``PymallocOptions/hardened``) found wrong: the kind of corruption, the block
/// and pool it found it in, and the pool's size class.
///
/// By default the heap prints ``description`` on standard error and aborts; a
/// ``PymallocOptions/corruptionHandler`` receives the value instead.
public struct HeapCorruption: CustomStringConvertible, Sendable {
  /// The kinds of corruption a hardened heap detects.
  public enum Kind: String, Sendable {
    /// A free-list link or pool head that does not decode to a free block of the same pool: the free block was
    /// written after its free, or the head was overwritten.
    case corruptFreeList = "corrupt free list"
    /// A block freed while it is free already (its keyed free mark is set).
    case doubleFree = "double free"
    /// A free of a pointer that is no block start: inside a block, in a pool header, in a never-carved part of
    /// the pool, or forged.
    case notABlock = "free of a pointer that is not a block"
    /// A pool header whose keyed check value does not match its size class, arena and limits.
    case corruptPoolHeader = "corrupt pool header"
  }

  /// What was found.
  public let kind: Kind

  /// The block (or the pointer handed to free) where it was found, as an address.
  public let block: UInt

  /// The pool holding it, as an address.
  public let pool: UInt

  /// The pool's size-class index as its header says it (0 … 31, or anything when the header is corrupt).
  public let sizeClass: Int

  /// The heap's name in the arena map.
  public let heapNumber: Int

  /// One line: `pymalloc heap #1: double free of block 0x… in pool 0x… (class 3, 64-byte blocks)`.
  public var description: String {
    let blocks =
      (0..<_Layout.sizeClassCount).contains(sizeClass) ? ", \(_SizeClass.blockSize(ofIndex: sizeClass))-byte blocks" : ""
    return "pymalloc heap #\(heapNumber): \(kind.rawValue) at block 0x\(String(block, radix: 16)) in pool "
      + "0x\(String(pool, radix: 16)) (class \(sizeClass)\(blocks))"
  }
}
