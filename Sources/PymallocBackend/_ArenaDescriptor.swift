//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The bookkeeping of one arena slot in the descriptor vector (CPython's `arena_object`).
///
/// A descriptor is on the unused list exactly when ``address`` is `nil`. An attached arena with at least one
/// available pool is on the usable list; a fully used arena is on neither list.
@usableFromInline
internal struct _ArenaDescriptor {
  /// The arena's base as the arena source returned it; `nil` when no arena is attached.
  @usableFromInline
  internal var address: UnsafeMutableRawPointer?

  /// The next pool to carve: pool-aligned high-water mark, from the first pool-aligned address upwards.
  @usableFromInline
  internal var poolAddress: UnsafeMutableRawPointer?

  /// Available pools: empty pools on ``freePools``, purged pools and never-carved pools. Kept empty pools
  /// (``PymallocOptions/keepsEmptyPoolPerClass``) count as used here: they stay on their class's list.
  @usableFromInline
  internal var freePoolCount: Int

  /// Pools that fit in the arena after alignment: 64, or 63 when the base is not pool-aligned.
  @usableFromInline
  internal var totalPoolCount: Int

  /// Empty pools, singly linked through `nextPool`, most recently emptied first. Purged pools are not on it.
  @usableFromInline
  internal var freePools: _Pool?

  /// Purged pools: bit i stands for the pool at ``_firstPool`` + i × 16 KiB. A purged pool is empty, off
  /// ``freePools``, and every page of it, header included, was given back; it is re-initialised when taken.
  @usableFromInline
  internal var purgedPools: UInt64

  /// Pools taken off ``freePools`` since the purge policy last acted (bits as in ``purgedPools``). Its next action
  /// spares them: a pool that empties and fills again between two actions is in use, and giving back its pages
  /// would only cost page faults at its next use.
  @usableFromInline
  internal var reusedPools: UInt64

  /// Usable list: the next arena (more or equally many free pools). Unused list: the next unused descriptor.
  @usableFromInline
  internal var nextArena: _Arena?

  /// Usable list: the previous arena (fewer or equally many free pools).
  @usableFromInline
  internal var previousArena: _Arena?

  /// A descriptor with no arena attached.
  internal static func unused(next: _Arena?) -> _ArenaDescriptor {
    _ArenaDescriptor(
      address: nil, poolAddress: nil, freePoolCount: 0, totalPoolCount: 0, freePools: nil, purgedPools: 0,
      reusedPools: 0, nextArena: next, previousArena: nil)
  }
}

/// An arena, addressed through its descriptor.
@usableFromInline
internal typealias _Arena = UnsafeMutablePointer<_ArenaDescriptor>

extension UnsafeMutablePointer where Pointee == _ArenaDescriptor {
  /// The first pool-aligned address of the arena; the bytes below it are the alignment loss.
  @inlinable
  internal var _firstPool: UnsafeMutableRawPointer {
    let base = UInt(bitPattern: pointee.address)
    let aligned = (base + UInt(_Layout.poolMask)) & ~UInt(_Layout.poolMask)
    return UnsafeMutableRawPointer(bitPattern: aligned).unsafelyUnwrapped
  }

  /// The pool at `index` from ``_firstPool``.
  @inlinable
  internal func _pool(at index: Int) -> _Pool {
    (_firstPool + index * _Layout.poolSize).bindMemory(to: _PoolHeader.self, capacity: 1)
  }

  /// The index from ``_firstPool`` of `pool`, a pool of this arena.
  @inlinable
  internal func _index(of pool: _Pool) -> Int {
    (UnsafeMutableRawPointer(pool) - _firstPool) / _Layout.poolSize
  }

  /// Pools carved so far, purged ones included: the indices below ``_ArenaDescriptor/poolAddress``.
  @inlinable
  internal var _carvedPoolCount: Int {
    (pointee.poolAddress.unsafelyUnwrapped - _firstPool) / _Layout.poolSize
  }

  /// Whether the pool at `index` from ``_firstPool`` is purged.
  @inlinable
  internal func _isPurged(poolAt index: Int) -> Bool {
    pointee.purgedPools & (UInt64(1) << index) != 0
  }

  /// Whether the arena lost a pool to alignment.
  @inlinable
  internal var _isUnaligned: Bool {
    UInt(bitPattern: pointee.address) & UInt(_Layout.poolMask) != 0
  }
}
