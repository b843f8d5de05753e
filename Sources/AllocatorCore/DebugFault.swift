//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A misuse the debug hooks detect.
public enum DebugFault: Sendable, Equatable {
  /// The block was allocated by another family (CPython's `bad ID`).
  case badIdentifier(allocated: UInt8, verified: UInt8)
  /// A byte before the block was overwritten (underflow).
  case badLeadingPad
  /// A byte after the block was overwritten (overflow).
  case badTrailingPad
  /// The block was already freed.
  case doubleFree
  /// `reallocate` was called on a freed block.
  case reallocateFreed
  /// The pointer was never returned by this heap.
  case foreignPointer
  /// The pointer lies inside a block, not at its start.
  case interiorPointer
  /// The block belongs to another heap (`owner`) than the one it was handed to (`heap`).
  case blockOfAnotherHeap(owner: String, heap: String)
  /// A freed block was written to before its memory was handed out again.
  case writeAfterFree
  /// A mem or object call came from a thread that does not hold the heap (CPython's GIL check).
  case callWithoutHeap

  /// The problem as the fatal line states it.
  public var message: String {
    switch self {
    case .badIdentifier(let allocated, let verified):
      "bad ID: Allocated using API '\(Character(Unicode.Scalar(allocated)))', "
        + "verified using API '\(Character(Unicode.Scalar(verified)))'"
    case .badLeadingPad: "bad leading pad byte"
    case .badTrailingPad: "bad trailing pad byte"
    case .doubleFree: "double free: the block was already freed"
    case .reallocateFreed: "reallocation of a freed block"
    case .foreignPointer: "pointer was not allocated by this heap"
    case .interiorPointer: "pointer lies inside a block, not at its start"
    case .blockOfAnotherHeap(let owner, let heap): "the block belongs to \(owner), not to \(heap)"
    case .writeAfterFree: "freed memory was modified (write after free)"
    case .callWithoutHeap: "memory allocator called without holding the heap's lock"
    }
  }
}
