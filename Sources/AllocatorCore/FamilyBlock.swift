//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A block of one family, as a non-copyable value: it can be freed once, and only through its own family.
///
/// CPython's "most common error" — freeing memory through another family, or twice — becomes a compile error:
///
///     let families = TypedFamilies(set)
///     guard let block = families.mem.allocate(byteCount: 64) else { return }
///     families.raw.deallocate(block)   // error: MemBlock is not a RawBlock
///     families.mem.deallocate(block)
///     families.mem.deallocate(block)   // error: 'block' used after consume
public protocol FamilyBlock: ~Copyable {
  /// The family the block belongs to.
  static var family: Family { get }
  /// Takes ownership of `pointer`, a block of `byteCount` bytes from this family.
  init(_adopting pointer: UnsafeMutableRawPointer, byteCount: Int)
  /// The block's memory.
  var pointer: UnsafeMutableRawPointer { get }
  /// The size requested for it.
  var byteCount: Int { get }
}

/// A block of the raw family (`PyMem_RawMalloc`).
@frozen
public struct RawBlock: FamilyBlock, ~Copyable {
  public static var family: Family { .raw }
  public let pointer: UnsafeMutableRawPointer
  public let byteCount: Int

  @inlinable
  public init(_adopting pointer: UnsafeMutableRawPointer, byteCount: Int) {
    self.pointer = pointer
    self.byteCount = byteCount
  }
}

/// A block of the mem family (`PyMem_Malloc`).
@frozen
public struct MemBlock: FamilyBlock, ~Copyable {
  public static var family: Family { .mem }
  public let pointer: UnsafeMutableRawPointer
  public let byteCount: Int

  @inlinable
  public init(_adopting pointer: UnsafeMutableRawPointer, byteCount: Int) {
    self.pointer = pointer
    self.byteCount = byteCount
  }
}

/// A block of the object family (`PyObject_Malloc`).
@frozen
public struct ObjectBlock: FamilyBlock, ~Copyable {
  public static var family: Family { .object }
  public let pointer: UnsafeMutableRawPointer
  public let byteCount: Int

  @inlinable
  public init(_adopting pointer: UnsafeMutableRawPointer, byteCount: Int) {
    self.pointer = pointer
    self.byteCount = byteCount
  }
}
