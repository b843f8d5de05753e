//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One debug block, seen through its user pointer `p` (CPython 3.8+ layout, 64-bit, no serial number):
///
///     base = p-16      p-8  p-7 … p-1   p            p+n          p+n+8
///     ┌──────────────┬────┬───────────┬────────────┬────────────┐
///     │ n, big-endian│ id │ 7 × 0xFD  │ data (n B) │ 8 × 0xFD   │
///     └──────────────┴────┴───────────┴────────────┴────────────┘
///
/// `id` is the family's API byte (`r`, `m`, `o`; the process allocator's `m`, `n`, `a`: ``DebugAPIIdentifier``). Data is 0xCD when fresh (zero for zeroed allocation) and the whole
/// block is 0xDD once freed. An aligned block (alignment a > 16) starts `a` bytes below p instead of 16; the gap is
/// 0xFD and log2(a) is kept in the size field's top byte, which no valid size (< 2^62) uses. That byte is also the
/// first one past the trailing pads of a block just below, so a non-zero shift is trusted only once the aligned
/// frame around it checks out (`DebugAllocator._alignedFrameIsIntact`); an ordinary block's is 0.
internal struct _DebugBlock {
  static let headerSize = 16
  static let overhead = 24
  static let padCount = 8
  static let forbiddenByte: UInt8 = 0xFD
  static let cleanByte: UInt8 = 0xCD
  static let deadByte: UInt8 = 0xDD
  static let sizeMask: UInt64 = (1 << 56) - 1
  /// The smallest shift an aligned block records: alignments up to 16 are ordinary blocks.
  static let minimumAlignmentShift = 5

  /// The user pointer `p`.
  let user: UnsafeMutableRawPointer

  init(user: UnsafeMutableRawPointer) { self.user = user }

  /// The block of a fresh allocation whose underlying memory starts at `base`, `frontGap` bytes before `p`.
  init(base: UnsafeMutableRawPointer, frontGap: Int = _DebugBlock.headerSize) {
    self.user = base + frontGap
  }

  /// The raw size field: the requested size, plus the alignment shift in the top byte.
  var sizeField: UInt64 { UInt64(bigEndian: (user - 16).loadUnaligned(as: UInt64.self)) }

  /// The requested size the header records.
  var requestedSize: Int { Int(truncatingIfNeeded: sizeField & _DebugBlock.sizeMask) }

  /// log2 of the alignment for aligned blocks; 0 for ordinary ones.
  var alignmentShift: Int { Int(truncatingIfNeeded: sizeField >> 56) }

  /// How far below p the underlying allocation starts, as the header says.
  var frontGap: Int { alignmentShift == 0 ? _DebugBlock.headerSize : 1 << alignmentShift }

  /// Where the underlying allocation starts, as the header says.
  var base: UnsafeMutableRawPointer { user - frontGap }

  /// Whether the bytes between ``base`` and the header are all 0xFD, as an aligned block's gap is written.
  var alignmentGapIntact: Bool {
    UnsafeRawBufferPointer(start: base, count: frontGap - _DebugBlock.headerSize).allSatisfy {
      $0 == _DebugBlock.forbiddenByte
    }
  }

  /// The API id byte at p-8.
  var identifier: UInt8 { (user - 8).load(as: UInt8.self) }

  /// Writes the header, the forbidden bytes around the data and, for aligned blocks, the gap below the header.
  func writeFrame(requestedSize: Int, apiIdentifier: UInt8, alignmentShift: Int = 0) {
    let field = UInt64(requestedSize) | UInt64(alignmentShift) << 56
    (user - 16).storeBytes(of: field.bigEndian, as: UInt64.self)
    (user - 8).storeBytes(of: apiIdentifier, as: UInt8.self)
    (user - 7).initializeMemory(as: UInt8.self, repeating: _DebugBlock.forbiddenByte, count: 7)
    (user + requestedSize).initializeMemory(as: UInt8.self, repeating: _DebugBlock.forbiddenByte, count: 8)
    if alignmentShift != 0 {
      let gap = frontGap - _DebugBlock.headerSize
      base.initializeMemory(as: UInt8.self, repeating: _DebugBlock.forbiddenByte, count: gap)
    }
  }

  /// The byte at `offset` from p (negative offsets reach into the header).
  func byte(at offset: Int) -> UInt8 { (user + offset).load(as: UInt8.self) }

  /// Whether the 7 pad bytes before p are all 0xFD.
  var leadingPadsIntact: Bool { (1...7).allSatisfy { byte(at: -$0) == _DebugBlock.forbiddenByte } }

  /// Whether the 8 pad bytes after the data are all 0xFD.
  var trailingPadsIntact: Bool {
    let size = requestedSize
    return (0..<8).allSatisfy { byte(at: size + $0) == _DebugBlock.forbiddenByte }
  }

  /// Whether the first 8 data bytes are 0xDD, as every freed block's are (the allocator underneath may reuse the
  /// header's words for its own links, but not the data after them).
  var looksFreed: Bool { (0..<8).allSatisfy { byte(at: $0) == _DebugBlock.deadByte } }

  /// Total bytes the underlying allocation must provide for `requestedSize` data bytes at this alignment.
  static func underlyingSize(requestedSize: Int, frontGap: Int) -> Int? {
    let (total, overflow) = requestedSize.addingReportingOverflow(frontGap + padCount)
    return overflow || !AllocationLimits.isSatisfiable(total) ? nil : total
  }
}
