//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The mapping between request sizes, size-class indices and block sizes.
///
///     request  1 …  16  →  class  0, blocks of  16 bytes, 1021 per pool
///     request 17 …  32  →  class  1, blocks of  32 bytes,  510 per pool
///       …
///     request 497 … 512 →  class 31, blocks of 512 bytes,   31 per pool
///
/// Every class has at least two blocks per pool, which the `used` pool state relies on.
@usableFromInline
internal enum _SizeClass {
  /// The class of a request of `byteCount` bytes, `1 ... 512`: `(byteCount − 1) >> 4`.
  @inlinable
  @inline(__always)
  internal static func index(forByteCount byteCount: Int) -> Int {
    assert(byteCount >= 1 && byteCount <= _Layout.smallRequestThreshold, "not a small request: \(byteCount)")
    return (byteCount &- 1) &>> _Layout.alignmentShift
  }

  /// The block size of class `index`: `(index + 1) << 4`.
  @inlinable
  @inline(__always)
  internal static func blockSize(ofIndex index: Int) -> Int {
    (index &+ 1) &<< _Layout.alignmentShift
  }

  /// Blocks that fit in one pool after its header: `(POOL_SIZE − 48) / size`.
  @inlinable
  internal static func blocksPerPool(ofIndex index: Int) -> Int {
    (_Layout.poolSize - _Layout.poolOverhead) / blockSize(ofIndex: index)
  }

  /// Bytes of one pool that no block of class `index` can use: `(POOL_SIZE − 48) % size`.
  @inlinable
  internal static func quantizationLoss(ofIndex index: Int) -> Int {
    (_Layout.poolSize - _Layout.poolOverhead) % blockSize(ofIndex: index)
  }
}
