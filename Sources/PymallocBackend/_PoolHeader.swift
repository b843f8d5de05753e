//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The header at the start of every carved pool: 48 bytes on 64-bit, so the first block sits at offset 48, as in
/// CPython.
///
///     pool + 0    count               allocated blocks in this pool (≤ 1021)
///     pool + 2    sizeIndex           size class, or `dummySizeIndex` between carving and the first initialisation
///     pool + 4    nextOffset          offset of the first never-used ("virgin") block
///     pool + 6    maximumNextOffset   POOL_SIZE − size: the largest valid `nextOffset`
///     pool + 8    freeBlock           head of the LIFO free list, threaded through each free block's first word
///     pool + 16   nextPool            used list: next pool of the class; empty: next pool of the arena's free list
///     pool + 24   previousPool        used list: previous pool of the class
///     pool + 32   remoteFreeBlocks    blocks freed by threads that do not own the pool (concurrent heap only)
///     pool + 40   arenaIndex          index of the owning arena's descriptor
///     pool + 44   checkValue          hardened heap: keyed hash of the fields above that never change; else 0
///     pool + 48   first block
///
/// CPython orders `count, freeblock, nextpool, prevpool` the same way, which lets the per-class heads of the used
/// lists be two words each (see `_UsedPoolHeads`): a head is read through a pseudo header 16 bytes below it, of
/// which only `nextPool` and `previousPool` are ever touched. The small counters are 16 bits wide (CPython pads
/// `count` to a pointer), which leaves room for the remote-free word without growing the header.
@usableFromInline
internal struct _PoolHeader {
  /// Allocated blocks in the pool. Zero exactly when the pool is empty.
  @usableFromInline
  internal var count: UInt16

  /// Size-class index of the pool's blocks.
  @usableFromInline
  internal var sizeIndex: UInt16

  /// Byte offset of the next never-used block.
  @usableFromInline
  internal var nextOffset: UInt16

  /// The largest valid ``nextOffset``: `POOL_SIZE − blockSize`.
  @usableFromInline
  internal var maximumNextOffset: UInt16

  /// The first free block, whose first word links to the next. `nil` exactly when the pool is full.
  @usableFromInline
  internal var freeBlock: UnsafeMutableRawPointer?

  /// The next pool in the class's used list, or in the arena's free-pool list.
  @usableFromInline
  internal var nextPool: UnsafeMutablePointer<_PoolHeader>?

  /// The previous pool in the class's used list.
  @usableFromInline
  internal var previousPool: UnsafeMutablePointer<_PoolHeader>?

  /// The list of blocks other threads freed into this pool, pushed atomically (``ConcurrentPymallocHeap``); always
  /// 0 in a single-owner heap.
  @usableFromInline
  internal var remoteFreeBlocks: UInt

  /// Index of the owning arena's descriptor in the descriptor vector.
  @usableFromInline
  internal var arenaIndex: UInt32

  /// A hardened heap's keyed check value over ``sizeIndex``, ``maximumNextOffset``, ``arenaIndex`` and the pool's
  /// address (never 0 once sealed); 0 in an ordinary heap.
  @usableFromInline
  internal var checkValue: UInt32
}

/// A pool, addressed through its header.
@usableFromInline
internal typealias _Pool = UnsafeMutablePointer<_PoolHeader>
