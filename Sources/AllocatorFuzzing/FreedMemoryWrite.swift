//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What a ``FreedMemoryProgram`` writes into a freed block's first 16 bytes: the bytes an attacker with a
/// use-after-free write would choose.
public enum FreedMemoryWrite: Equatable, Sendable {
  /// One byte at `offset` (0 … 15).
  case byte(offset: Int, value: UInt8)
  /// The address of the block in `slot` plus `delta`, as a word at `offset` (0 or 8): a forged link to a live
  /// block or next to one. Nothing is written when the slot is empty.
  case liveAddress(offset: Int, slot: Int, delta: Int)
  /// The word at the same `offset` of the `recency`-th most recently freed block: a replayed link or mark.
  case freedWord(offset: Int, recency: Int)
  /// An arbitrary word at `offset`.
  case word(offset: Int, value: UInt)
}
