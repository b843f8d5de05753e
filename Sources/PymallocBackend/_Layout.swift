//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The constants of pymalloc on 64-bit platforms (CPython 3.10 and later).
///
/// Every size below follows from three choices: 16-byte alignment, 16 KiB pools and 1 MiB arenas.
@usableFromInline
internal enum _Layout {
  /// log2 of ``alignment``.
  @usableFromInline
  internal static let alignmentShift = 4

  /// Block alignment and size-class step (16 on 64-bit since CPython 3.8).
  @usableFromInline
  internal static let alignment = 1 << alignmentShift

  /// The largest request pymalloc serves itself; larger ones and zero-byte ones go to the raw allocator.
  @usableFromInline
  internal static let smallRequestThreshold = 512

  /// Number of size classes: threshold / alignment.
  @usableFromInline
  internal static let sizeClassCount = smallRequestThreshold / alignment

  /// log2 of ``poolSize``.
  @usableFromInline
  internal static let poolShift = 14

  /// Pool size: 16 KiB. Pools are aligned to their size, so a block's pool is its address rounded down.
  @usableFromInline
  internal static let poolSize = 1 << poolShift

  /// ``poolSize`` − 1: the bits of an address inside its pool.
  @usableFromInline
  internal static let poolMask = poolSize - 1

  /// The pool header rounded up to ``alignment``: the first block of a pool sits at this offset.
  @usableFromInline
  internal static let poolOverhead = 48

  /// log2 of ``arenaSize``.
  @usableFromInline
  internal static let arenaShift = 20

  /// Arena size: 1 MiB, obtained from the ``ArenaSource`` in one piece.
  @usableFromInline
  internal static let arenaSize = 1 << arenaShift

  /// ``arenaSize`` − 1: the bits of an address inside its ideal (1 MiB-aligned) arena slot.
  @usableFromInline
  internal static let arenaMask = arenaSize - 1

  /// Pools in an arena whose base is pool-aligned; one fewer otherwise (the alignment loss).
  @usableFromInline
  internal static let maximumPoolsInArena = arenaSize / poolSize

  /// The arena-descriptor vector starts with this many slots and doubles when it runs out.
  @usableFromInline
  internal static let initialArenaDescriptorCount = 16

  /// The page size pymalloc assumes (CPython's SYSTEM_PAGE_SIZE); pools are purged in whole pages.
  @usableFromInline
  internal static let systemPageSize = 4096

  /// The size index of a freshly carved pool, before its first initialisation.
  @usableFromInline
  internal static let dummySizeIndex: UInt16 = 0xffff
}
