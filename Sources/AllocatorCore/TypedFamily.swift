//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One family's allocator, handing out and taking back only that family's non-copyable blocks.
@frozen
public struct TypedFamily<Base: Allocator, Tag: FamilyTag> {
  /// The family's allocator.
  public let allocator: Base

  /// Wraps a family's allocator.
  @inlinable
  public init(_ allocator: Base) { self.allocator = allocator }

  /// A new block, or `nil` when the request cannot be satisfied.
  @inlinable
  public func allocate(byteCount: Int) -> FamilyBlock<Tag>? {
    guard let pointer = allocator.allocate(byteCount: byteCount) else { return nil }
    return FamilyBlock(_adopting: pointer, byteCount: byteCount)
  }

  /// Frees the block; it cannot be used, or freed again, afterwards.
  @inlinable
  public func deallocate(_ block: consuming FamilyBlock<Tag>) {
    allocator.deallocate(block.pointer, byteCount: block.byteCount)
  }
}

/// The three families of a set, typed: each takes back only its own blocks, and each block only once.
@frozen
public struct TypedFamilies<Set: AllocatorSet> {
  /// `PyMem_Raw*`.
  public let raw: TypedFamily<Set.Raw, RawFamily>
  /// `PyMem_*`.
  public let mem: TypedFamily<Set.Mem, MemFamily>
  /// `PyObject_*`.
  public let object: TypedFamily<Set.Object, ObjectFamily>

  /// The typed families of `set`.
  @inlinable
  public init(_ set: Set) {
    raw = TypedFamily(set.raw)
    mem = TypedFamily(set.mem)
    object = TypedFamily(set.object)
  }
}
