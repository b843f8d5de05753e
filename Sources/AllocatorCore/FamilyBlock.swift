//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A block of one family, as a non-copyable value: it can be freed once, and only through its own family.
///
/// CPython's "most common error" — freeing memory through another family, or twice — becomes a compile error:
///
///     let families = TypedFamilies(set)
///     guard let block = families.mem.allocate(byteCount: 64) else { return }
///     families.raw.deallocate(block)   // error: FamilyBlock<MemFamily> is not a FamilyBlock<RawFamily>
///     families.mem.deallocate(block)
///     families.mem.deallocate(block)   // error: 'block' consumed more than once
@frozen
public struct FamilyBlock<Tag: FamilyTag>: ~Copyable {
  /// The block's memory.
  public let pointer: UnsafeMutableRawPointer
  /// The size requested for it.
  public let byteCount: Int

  /// Takes ownership of `pointer`, a block of `byteCount` bytes from `Tag`'s family.
  @inlinable
  public init(_adopting pointer: UnsafeMutableRawPointer, byteCount: Int) {
    self.pointer = pointer
    self.byteCount = byteCount
  }
}

/// The type-level name of a family, so that each family's blocks are a type of their own.
public protocol FamilyTag {
  /// The family.
  static var family: Family { get }
}

/// The raw family as a type.
public enum RawFamily: FamilyTag {
  public static var family: Family { .raw }
}

/// The mem family as a type.
public enum MemFamily: FamilyTag {
  public static var family: Family { .mem }
}

/// The object family as a type.
public enum ObjectFamily: FamilyTag {
  public static var family: Family { .object }
}

/// A block of the raw family (`PyMem_RawMalloc`).
public typealias RawBlock = FamilyBlock<RawFamily>
/// A block of the mem family (`PyMem_Malloc`).
public typealias MemBlock = FamilyBlock<MemFamily>
/// A block of the object family (`PyObject_Malloc`).
public typealias ObjectBlock = FamilyBlock<ObjectFamily>
