//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The usable-arena list and its search fingers.
///
///     usableArenas ─► A ⇄ B ⇄ C ⇄ D ⇄ E ─► nil      free pools: A 1, B 3, C 3, D 3, E 40
///                     ▲           ▲   ▲
///                    [1]         [3]  [40]    lastArenaWithFreePools[k]; every other entry nil
///
/// Invariants kept here:
/// - the list is sorted by ascending `freePoolCount`, so new pools come from the most used arena (the head) and
///   sparse arenas can drain and be returned;
/// - `lastArenaWithFreePools[k]` is the last arena on the list with exactly k free pools, `nil` iff none;
/// - an arena is on the list iff it is attached and has at least one available pool;
/// - a wholly free arena is returned at once unless it is the list's tail (the one empty arena kept against
///   allocate/free thrash, bpo-37257); ``PymallocOptions/retainedEmptyArenas`` can change how many are kept;
/// - `whollyFreeArenas` counts the attached arenas whose every pool is available.
///
/// With the fingers, an arena that gains a pool moves in O(1): right after the last arena that had as many free
/// pools as it had before.
extension _HeapState {
  /// Makes `arena`, freshly attached, the only usable arena. The list must be empty.
  @usableFromInline
  internal mutating func installSoleUsableArena(_ arena: _Arena) {
    assert(usableArenas == nil, "a new arena is only attached when no arena has a free pool")
    arena.pointee.nextArena = nil
    arena.pointee.previousArena = nil
    usableArenas = arena
    lastArenaWithFreePools[arena.pointee.freePoolCount] = arena
    whollyFreeArenas += 1
  }

  /// Takes one pool's worth of availability from the head arena, keeping the order.
  ///
  /// The head has the fewest free pools, so it stays sorted with one fewer; only the fingers move. When its last
  /// pool goes, the head leaves the list (a full arena is on no list).
  @usableFromInline
  internal mutating func headArenaLosesPool() -> _Arena {
    let arena = usableArenas.unsafelyUnwrapped
    let free = arena.pointee.freePoolCount
    assert(free > 0 && arena.pointee.previousArena == nil, "the head arena has a pool to give")
    if lastArenaWithFreePools[free] == arena { lastArenaWithFreePools[free] = nil }
    if free > 1 { lastArenaWithFreePools[free - 1] = arena }
    if free == arena.pointee.totalPoolCount { whollyFreeArenas -= 1 }
    arena.pointee.freePoolCount = free - 1
    if free == 1 {
      usableArenas = arena.pointee.nextArena
      usableArenas?.pointee.previousArena = nil
      arena.pointee.nextArena = nil
    }
    return arena
  }

  /// Re-sorts `arena` after one of its pools became empty.
  ///
  /// - Returns: `true` when the arena is now wholly free and not the list's tail: it has been unlinked and
  ///   must be released.
  @usableFromInline
  internal mutating func arenaGainedPool(_ arena: _Arena) -> Bool {
    let oldFree = arena.pointee.freePoolCount
    let lastWithOldFree = lastArenaWithFreePools[oldFree]
    if lastWithOldFree == arena {
      let previous = arena.pointee.previousArena
      lastArenaWithFreePools[oldFree] = previous?.pointee.freePoolCount == oldFree ? previous : nil
    }
    let newFree = oldFree + 1
    arena.pointee.freePoolCount = newFree

    // Case 1: wholly free and not the tail, so some other arena has free pools too: give it back.
    if newFree == arena.pointee.totalPoolCount {
      if releasesWhollyFreeArena(arena) {
        unlinkUsableArena(arena)
        return true
      }
      whollyFreeArenas += 1
    }
    // Case 2: the arena was full and on no list; with one free pool it sorts first.
    if newFree == 1 {
      arena.pointee.previousArena = nil
      arena.pointee.nextArena = usableArenas
      usableArenas?.pointee.previousArena = arena
      usableArenas = arena
      if lastArenaWithFreePools[1] == nil { lastArenaWithFreePools[1] = arena }
      return false
    }
    if lastArenaWithFreePools[newFree] == nil { lastArenaWithFreePools[newFree] = arena }
    // The last of its old count: every arena after it already has more than `oldFree`, so at least `newFree`.
    if lastWithOldFree == arena { return false }
    // Case 3: arenas with `oldFree` follow it; move it right after the last of them.
    let anchor = lastWithOldFree.unsafelyUnwrapped
    unlinkUsableArena(arena)
    arena.pointee.previousArena = anchor
    arena.pointee.nextArena = anchor.pointee.nextArena
    anchor.pointee.nextArena?.pointee.previousArena = arena
    anchor.pointee.nextArena = arena
    return false
  }

  /// Whether an arena that just became wholly free goes back to the arena source.
  @usableFromInline
  internal func releasesWhollyFreeArena(_ arena: _Arena) -> Bool {
    switch options.retainedEmptyArenas {
    case 0: true
    case 1: arena.pointee.nextArena != nil  // CPython: keep it only as the tail.
    case let limit: whollyFreeArenas >= limit
    }
  }

  /// Removes `arena` from the usable list (fingers are the caller's business).
  @usableFromInline
  internal mutating func unlinkUsableArena(_ arena: _Arena) {
    let next = arena.pointee.nextArena
    let previous = arena.pointee.previousArena
    if let previous {
      previous.pointee.nextArena = next
    } else {
      usableArenas = next
    }
    next?.pointee.previousArena = previous
    arena.pointee.nextArena = nil
    arena.pointee.previousArena = nil
  }

  /// Takes `arena`, wholly free and on the usable list, off the list (fingers included), to be released.
  @usableFromInline
  internal mutating func unlinkWhollyFreeArena(_ arena: _Arena) {
    let free = arena.pointee.freePoolCount
    if lastArenaWithFreePools[free] == arena {
      let previous = arena.pointee.previousArena
      lastArenaWithFreePools[free] = previous?.pointee.freePoolCount == free ? previous : nil
    }
    unlinkUsableArena(arena)
    whollyFreeArenas -= 1
  }
}
