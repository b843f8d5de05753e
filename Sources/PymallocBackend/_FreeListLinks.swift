//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// How a heap's paths read and write free blocks: plainly (``_PlainLinks``) or hardened (``_SafeLinks``).
///
/// The allocation and free paths are generic over it and specialised for each: a heap tests
/// ``_HeapState/isHardened`` once per call, at its entry, and then runs code with no further test (the plain
/// paths compile to what they were before the hardened mode existed).
@usableFromInline
internal protocol _FreeListLinks {
  /// The link in the first word of `block`, a free block of `heap`: the next free block, or `nil`.
  static func link(of block: UnsafeMutableRawPointer, in heap: _HeapStatePointer) -> UnsafeMutableRawPointer?

  /// Stores `link` as the link of `block`, a free block of `heap`.
  static func setLink(_ link: UnsafeMutableRawPointer?, of block: UnsafeMutableRawPointer, in heap: _HeapStatePointer)

  /// `block`, a block of class `sizeIndex`, became free (pushed or carved): it gets its free mark.
  static func markFree(_ block: UnsafeMutableRawPointer, sizeIndex: Int, in heap: _HeapStatePointer)

  /// `block` leaves the free list for the caller: its free mark is cleared.
  static func markTaken(_ block: UnsafeMutableRawPointer)

  /// Whether `block`, about to be taken from a free list of `pool`, is one of the pool's free blocks of class
  /// `sizeIndex` (the class asked for, on the allocation path).
  static func isFreeBlock(_ block: UnsafeMutableRawPointer, of pool: _Pool, sizeIndex: Int, in heap: _HeapStatePointer)
    -> Bool

  /// Whether `block`, found on a list that crosses pools (the delayed list, a thread's leftovers), is a free block
  /// of `heap`.
  static func isListedFreeBlock(_ block: UnsafeMutableRawPointer, in heap: _HeapStatePointer) -> Bool

  /// Whether `block`, handed to free in `pool` (this heap's, by the arena map), may be freed; a refusal has
  /// been reported.
  static func mayFree(_ block: UnsafeMutableRawPointer, of pool: _Pool, in heap: _HeapStatePointer) -> Bool

  /// `pool`'s header was initialised: it gets its check value.
  static func sealHeader(of pool: _Pool, in heap: _HeapStatePointer)

  /// Whether `pool`'s header still matches its check value.
  static func isIntactHeader(of pool: _Pool, in heap: _HeapStatePointer) -> Bool
}
