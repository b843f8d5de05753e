//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// CPython's free lists: a free block's first word is the next block's address, and nothing is checked.
@usableFromInline
internal enum _PlainLinks: _FreeListLinks {
  @inlinable
  @inline(__always)
  internal static func link(of block: UnsafeMutableRawPointer, in heap: _HeapStatePointer) -> UnsafeMutableRawPointer? {
    _MemoryTracking.link(of: block)
  }

  @inlinable
  @inline(__always)
  internal static func setLink(
    _ link: UnsafeMutableRawPointer?, of block: UnsafeMutableRawPointer, in heap: _HeapStatePointer
  ) {
    _MemoryTracking.setLink(link, of: block)
  }

  @inlinable
  @inline(__always)
  internal static func markFree(_ block: UnsafeMutableRawPointer, sizeIndex: Int, in heap: _HeapStatePointer) {}

  @inlinable
  @inline(__always)
  internal static func markTaken(_ block: UnsafeMutableRawPointer) {}

  @inlinable
  @inline(__always)
  internal static func isFreeBlock(
    _ block: UnsafeMutableRawPointer, of pool: _Pool, sizeIndex: Int, in heap: _HeapStatePointer
  ) -> Bool { true }

  @inlinable
  @inline(__always)
  internal static func isListedFreeBlock(_ block: UnsafeMutableRawPointer, in heap: _HeapStatePointer) -> Bool {
    true
  }

  @inlinable
  @inline(__always)
  internal static func mayFree(_ block: UnsafeMutableRawPointer, of pool: _Pool, in heap: _HeapStatePointer) -> Bool {
    true
  }

  @inlinable
  @inline(__always)
  internal static func sealHeader(of pool: _Pool, in heap: _HeapStatePointer) {}

  @inlinable
  @inline(__always)
  internal static func isIntactHeader(of pool: _Pool, in heap: _HeapStatePointer) -> Bool { true }
}
