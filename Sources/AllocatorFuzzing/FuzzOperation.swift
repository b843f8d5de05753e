//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// One call of a fuzz program, on one of the three families, over a slot of the live-block table.
///
/// An allocation into an occupied slot frees the occupant first; a free or reallocation of an empty slot passes
/// `nil`, which every allocator must accept.
public struct FuzzOperation: Equatable, Sendable {
  /// What the call does.
  public enum Kind: Equatable, Sendable {
    /// `allocate(byteCount:)`.
    case allocate(size: Int)
    /// `allocateZeroed(count:stride:)`.
    case allocateZeroed(count: Int, stride: Int)
    /// `allocate(byteCount:alignment:)`.
    case allocateAligned(size: Int, alignment: Int)
    /// `reallocate(_:byteCount:)` of the slot's block (of `nil` when the slot is empty).
    case reallocate(size: Int)
    /// `deallocate(_:)` of the slot's block (of `nil` when the slot is empty).
    case free
  }

  /// What the call does.
  public var kind: Kind
  /// The family whose allocator serves the call.
  public var family: Family
  /// The slot of the live-block table the call works on.
  public var slot: Int

  /// Creates an operation.
  public init(kind: Kind, family: Family, slot: Int) {
    self.kind = kind
    self.family = family
    self.slot = slot
  }
}

extension FuzzOperation {
  /// Whether a correct allocator must refuse the call (return `nil`): a size or count × stride beyond
  /// ``AllocationLimits``, or an alignment that is not a power of two up to the maximum.
  public var mustFail: Bool {
    switch kind {
    case .allocate(let size), .reallocate(let size):
      return !AllocationLimits.isSatisfiable(size)
    case .allocateZeroed(let count, let stride):
      return AllocationLimits.zeroedByteCount(count: count, stride: stride) == nil
    case .allocateAligned(let size, let alignment):
      return !AllocationLimits.isSatisfiable(size) || !AllocationLimits.isValidAlignment(alignment)
    case .free:
      return false
    }
  }
}
