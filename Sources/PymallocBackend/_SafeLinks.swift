//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The hardened heap's free lists (``PymallocOptions/hardened``).
///
///     free block   word 0: next ^ (block >> 12) ^ secret             safe-linking, as glibc 2.32's tcache and fastbins
///                  word 1: secret ^ ~block ^ (class << 48)           the free mark: set by a free, cleared by an allocation
///     pool header  checkValue: keyed hash of sizeIndex, maximumNextOffset, arenaIndex and the pool's address
///
/// - A link is decoded only where it is used: a block is taken from a list only if it lies in the same pool, below
///   the carving offset, and carries the free mark of the class asked for (an aligned load). The mark names its address and class,
///   and only a free or a carving of a block of that class writes it, so a marked address below the carving offset
///   is a block boundary of the class carved since the pool last took it (a stale mark of an earlier epoch of the
///   same class lies on the same boundaries; one above the offset is refused): the boundary needs no division. A link
///   or pool head written without the secret fails; a head pointed at a live block fails the mark; a pool header
///   whose class was overwritten carves and pushes blocks whose marks the allocation refuses.
/// - A double free finds the mark set. The mark lives in the freed block's second word (every class has 16
///   bytes or more), so hardening costs no byte per block; a live block carries it only if the program wrote
///   that keyed value there itself (a chance of 2⁻⁶⁴ for data that does not know the secret).
/// - A free must name a block start of a carved pool of this heap whose header matches its check value. (The
///   arena map owns whole pools only, so the header of a block the map gives this heap lies in its arena.)
@usableFromInline
internal enum _SafeLinks: _FreeListLinks {
  /// The word a link stored in `block` is xored with.
  @inlinable
  @inline(__always)
  internal static func _linkKey(of block: UnsafeMutableRawPointer, in heap: _HeapStatePointer) -> UInt {
    heap.pointee.secret ^ (UInt(bitPattern: block) &>> 12)
  }

  /// The free mark of `block`, a block of class `sizeIndex`, in its second word while it is free.
  @inlinable
  @inline(__always)
  internal static func _freeMark(of block: UnsafeMutableRawPointer, sizeIndex: Int, in heap: _HeapStatePointer)
    -> UInt
  {
    heap.pointee.secret ^ ~UInt(bitPattern: block) ^ UInt(truncatingIfNeeded: sizeIndex) &<< 48
  }

  /// The byte offset of the free mark in a free block.
  @inlinable
  @inline(__always)
  internal static var _markOffset: Int { MemoryLayout<UInt>.stride }

  @inlinable
  @inline(__always)
  internal static func link(of block: UnsafeMutableRawPointer, in heap: _HeapStatePointer) -> UnsafeMutableRawPointer? {
    let stored = UInt(bitPattern: _MemoryTracking.link(of: block))
    return UnsafeMutableRawPointer(bitPattern: stored ^ _linkKey(of: block, in: heap))
  }

  @inlinable
  @inline(__always)
  internal static func setLink(
    _ link: UnsafeMutableRawPointer?, of block: UnsafeMutableRawPointer, in heap: _HeapStatePointer
  ) {
    let stored = UInt(bitPattern: link) ^ _linkKey(of: block, in: heap)
    _MemoryTracking.setLink(UnsafeMutableRawPointer(bitPattern: stored), of: block)
  }

  @inlinable
  @inline(__always)
  internal static func markFree(_ block: UnsafeMutableRawPointer, sizeIndex: Int, in heap: _HeapStatePointer) {
    let mark = _freeMark(of: block, sizeIndex: sizeIndex, in: heap)
    _MemoryTracking.setLink(UnsafeMutableRawPointer(bitPattern: mark), of: block + _markOffset)
  }

  @inlinable
  @inline(__always)
  internal static func markTaken(_ block: UnsafeMutableRawPointer) {
    _MemoryTracking.setLink(nil, of: block + _markOffset)
  }

  /// Whether `block` carries its free mark. (The mark is read and written through ``_MemoryTracking``'s link
  /// accessors, which the sanitizers let touch a free block.)
  @inlinable
  @inline(__always)
  internal static func _hasFreeMark(_ block: UnsafeMutableRawPointer, sizeIndex: Int, in heap: _HeapStatePointer)
    -> Bool
  {
    UInt(bitPattern: _MemoryTracking.link(of: block + _markOffset)) == _freeMark(of: block, sizeIndex: sizeIndex, in: heap)
  }

  @inlinable
  @inline(__always)
  internal static func isFreeBlock(
    _ block: UnsafeMutableRawPointer, of pool: _Pool, sizeIndex: Int, in heap: _HeapStatePointer
  ) -> Bool {
    let offset = UInt(bitPattern: block) &- UInt(bitPattern: pool)  // beyond the pool when block is below it
    return offset < UInt(pool.pointee.nextOffset) && offset & UInt(_Layout.alignment - 1) == 0
      && _hasFreeMark(block, sizeIndex: sizeIndex, in: heap)
  }

  @inlinable
  @inline(__always)
  internal static func isListedFreeBlock(_ block: UnsafeMutableRawPointer, in heap: _HeapStatePointer) -> Bool {
    let pool = _Pool.containing(block)
    return _ArenaMap.owner(of: block) == heap.pointee.heapID && isIntactHeader(of: pool, in: heap)
      && isFreeBlock(block, of: pool, sizeIndex: Int(pool.pointee.sizeIndex), in: heap)
  }

  @inlinable
  @inline(__always)
  internal static func mayFree(_ block: UnsafeMutableRawPointer, of pool: _Pool, in heap: _HeapStatePointer) -> Bool {
    guard pool.pointee.checkValue != 0 else {
      heap._reportCorruption(.notABlock, block: block, pool: pool)  // never carved, or purged
      return false
    }
    guard isIntactHeader(of: pool, in: heap) else {
      heap._reportCorruption(.corruptPoolHeader, block: block, pool: pool)
      return false
    }
    guard _isCarvedBlockStart(block, of: pool, in: heap) else {
      heap._reportCorruption(.notABlock, block: block, pool: pool)
      return false
    }
    guard !_hasFreeMark(block, sizeIndex: Int(pool.pointee.sizeIndex), in: heap) else {
      heap._reportCorruption(.doubleFree, block: block, pool: pool)
      return false
    }
    return true
  }

  @inlinable
  @inline(__always)
  internal static func sealHeader(of pool: _Pool, in heap: _HeapStatePointer) {
    pool.pointee.checkValue = _checkValue(of: pool, in: heap)
  }

  @inlinable
  @inline(__always)
  internal static func isIntactHeader(of pool: _Pool, in heap: _HeapStatePointer) -> Bool {
    pool.pointee.checkValue == _checkValue(of: pool, in: heap)
  }

  /// The keyed hash of the header fields that stay fixed while the pool serves one class; never 0.
  @inlinable
  @inline(__always)
  internal static func _checkValue(of pool: _Pool, in heap: _HeapStatePointer) -> UInt32 {
    let fields =
      UInt64(pool.pointee.sizeIndex) | UInt64(pool.pointee.maximumNextOffset) &<< 16
      | UInt64(pool.pointee.arenaIndex) &<< 32
    let keyed = fields ^ UInt64(UInt(bitPattern: pool)) ^ UInt64(heap.pointee.secret)
    // Fibonacci hashing's multiplier: every input bit reaches the high half.
    return UInt32(truncatingIfNeeded: (keyed &* 0x9E37_79B9_7F4A_7C15) &>> 32) | 1
  }

  /// Whether `block` is at a block boundary of `pool`'s class, below its carving offset.
  @inlinable
  @inline(__always)
  internal static func _isCarvedBlockStart(_ block: UnsafeMutableRawPointer, of pool: _Pool, in heap: _HeapStatePointer)
    -> Bool
  {
    UInt(bitPattern: block) &- UInt(bitPattern: pool) < UInt(pool.pointee.nextOffset) && heap._isBlockStart(block)
  }
}
