//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The header at the start of every carved pool (48 bytes on 64-bit, so the first block sits at offset 48).
///
///     pool + 0    count           allocated blocks in this pool (8 bytes, as CPython's padded union)
///     pool + 8    freeBlock       head of the LIFO free list, threaded through each free block's first word
///     pool + 16   nextPool        used list: next pool of the class; empty: next pool of the arena's free list
///     pool + 24   previousPool    used list: previous pool of the class
///     pool + 32   arenaIndex      index of the owning arena's descriptor
///     pool + 36   sizeIndex       size class, or `dummySizeIndex` between carving and the first initialisation
///     pool + 40   nextOffset      offset of the first never-used ("virgin") block
///     pool + 44   maximumNextOffset   POOL_SIZE − size: the largest valid `nextOffset`
///     pool + 48   first block
///
/// The per-class used lists use headers of this type as sentinels too; only their two links are meaningful.
@usableFromInline
internal struct _PoolHeader {
  /// Allocated blocks in the pool. Zero exactly when the pool is empty.
  @usableFromInline
  internal var count: Int

  /// The first free block, whose first word links to the next. `nil` exactly when the pool is full.
  @usableFromInline
  internal var freeBlock: UnsafeMutableRawPointer?

  /// The next pool in the class's used list, or in the arena's free-pool list.
  @usableFromInline
  internal var nextPool: UnsafeMutablePointer<_PoolHeader>?

  /// The previous pool in the class's used list.
  @usableFromInline
  internal var previousPool: UnsafeMutablePointer<_PoolHeader>?

  /// Index of the owning arena's descriptor in the descriptor vector.
  @usableFromInline
  internal var arenaIndex: UInt32

  /// Size-class index of the pool's blocks.
  @usableFromInline
  internal var sizeIndex: UInt32

  /// Byte offset of the next never-used block.
  @usableFromInline
  internal var nextOffset: UInt32

  /// The largest valid ``nextOffset``: `POOL_SIZE − blockSize`.
  @usableFromInline
  internal var maximumNextOffset: UInt32
}

/// A pool, addressed through its header.
@usableFromInline
internal typealias _Pool = UnsafeMutablePointer<_PoolHeader>
