//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// Attaching arenas (CPython's `new_arena`); their order and release are in `ArenaOrder.swift` and the free path.
extension PymallocHeap {
  /// Attaches a new arena to an unused descriptor, growing the descriptor vector first if none is left, and
  /// records it as this heap's in the arena map.
  ///
  /// - Returns: `nil`, with the heap unchanged, when the vector cannot grow, the arena source has no memory, or
  ///   the arena map cannot record the arena.
  @usableFromInline
  internal func _newArena() -> _Arena? {
    if _state.pointee.options.printsStatisticsOnNewArena {
      _state.pointee.options.statisticsOutput(statisticsReport())
    }
    if _state.pointee.unusedArenas == nil, !_growArenaDescriptors() { return nil }
    guard let base = _state.pointee.arenaSource.obtain(_Layout.arenaSize) else { return nil }
    guard _ArenaMap.mark(arenaAt: base, owner: _state.pointee.heapID) else {
      _state.pointee.arenaSource.release(base, _Layout.arenaSize)
      return nil
    }
    let arena = _state.pointee.unusedArenas.unsafelyUnwrapped
    _state.pointee.unusedArenas = arena.pointee.nextArena
    arena.pointee.address = base
    arena.pointee.freePools = nil
    arena.pointee.purgedPools = 0
    arena.pointee.reusedPools = 0
    arena.pointee.nextArena = nil
    arena.pointee.previousArena = nil
    arena.pointee.poolAddress = arena._firstPool
    arena.pointee.totalPoolCount = _Layout.maximumPoolsInArena - (arena._isUnaligned ? 1 : 0)
    arena.pointee.freePoolCount = arena.pointee.totalPoolCount
    _MemoryTracking.arenaAttached(arena)
    _state.pointee.arenasCurrentlyAllocated += 1
    _state.pointee.arenasAllocatedTotal += 1
    _state.pointee.arenasHighWaterMark = max(
      _state.pointee.arenasHighWaterMark, _state.pointee.arenasCurrentlyAllocated)
    return arena
  }

  /// Grows the descriptor vector to 16 slots, then doubles it, with the raw allocator's reallocation.
  ///
  /// Moving the vector is safe: it only grows when no descriptor is unused, and then no arena is usable either
  /// (a usable arena would have been asked first), so no list or finger points into it; pools name their arena
  /// by index.
  @usableFromInline
  internal func _growArenaDescriptors() -> Bool {
    assert(_state.pointee.usableArenas == nil, "the vector moves only while no list points into it")
    let oldCount = _state.pointee.maximumArenaCount
    let newCount = oldCount == 0 ? _Layout.initialArenaDescriptorCount : oldCount * 2
    let (byteCount, overflow) = newCount.multipliedReportingOverflow(by: MemoryLayout<_ArenaDescriptor>.stride)
    guard !overflow,
      let memory = raw.reallocate(_state.pointee.arenas.map { UnsafeMutableRawPointer($0) }, byteCount: byteCount)
    else { return false }
    let arenas = memory.bindMemory(to: _ArenaDescriptor.self, capacity: newCount)
    for index in oldCount..<newCount {
      let next = index + 1 < newCount ? arenas + index + 1 : nil
      (arenas + index).initialize(to: .unused(next: next))
    }
    _state.pointee.arenas = arenas
    _state.pointee.unusedArenas = arenas + oldCount
    _state.pointee.maximumArenaCount = newCount
    return true
  }
}
