//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The free path, from the public call to the pool lists: `pymalloc_free`, `insert_to_usedpool`,
/// `insert_to_freepool`. Arena bookkeeping after a pool empties is in `ArenaOrder.swift`.
extension PymallocHeap {
  /// Frees a block: this heap's pool blocks go back to their pool, pointers outside every pymalloc arena to `Raw`;
  /// a block of another pymalloc heap is refused (see ``PymallocHeap/_deallocateNotOwned(_:owner:)``). `nil` is a
  /// no-op.
  @inlinable
  @inline(__always)
  public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    let owner = _ArenaMap.owner(of: pointer)
    guard owner == _state.pointee.heapID else { return _deallocateNotOwned(pointer, owner: owner) }
    _pymallocFree(pointer)
    _checkInvariants()
  }

  /// CPython's `pymalloc_free`, for a block the arena map says is this heap's; a hardened heap's own path when it
  /// is one (the one test of ``_HeapState/isHardened`` on the way).
  @inlinable
  @inline(__always)
  internal func _pymallocFree(_ block: UnsafeMutableRawPointer) {
    guard !_state.pointee.isHardened else { return _hardenedFree(block) }
    _pymallocFree(block, links: _PlainLinks.self)
  }

  /// `pymalloc_free` over the free lists `Links` writes: one push on the pool's free list.
  ///
  /// The old head tells the three cases apart: `nil` means the pool was full (it goes back on its class's used
  /// list); a count that drops to 0 means the pool is now empty (it goes to its arena's free pools); anything else
  /// is done.
  @inlinable
  @inline(__always)
  internal func _pymallocFree<Links: _FreeListLinks>(_ block: UnsafeMutableRawPointer, links: Links.Type) {
    let pool = _Pool.containing(block)
    guard Links.mayFree(block, of: pool, in: _state) else { return }
    _MemoryTracking.freed(block, from: pool, in: _state)
    let head = pool.pointee.freeBlock
    let count = pool._pushFreeBlock(block, onto: head, links: links, in: _state)
    if head == nil { return _insertToUsedPool(pool) }
    if count == 0 { _insertToFreePool(pool) }
  }

  /// CPython's `insert_to_usedpool`: a block was freed in a full pool, which is used again, at the front of its
  /// class's list, so the next allocation of the class returns the block just freed — behind the class's kept
  /// empty pool, if it has one, which stays the head of the list.
  @inlinable
  @inline(never)
  internal func _insertToUsedPool(_ pool: _Pool) {
    let sentinel = _state._usedPools(Int(pool.pointee.sizeIndex))
    let head = sentinel.pointee.nextPool.unsafelyUnwrapped
    pool._linkAtFront(of: head != sentinel && head.pointee.count == 0 ? head : sentinel)  // the kept pool stays first
  }

  /// CPython's `insert_to_freepool`: the last block of a used pool was freed. The pool leaves its class's list
  /// for the front of its arena's free-pool list, and the arena is re-sorted or released — unless the pool is
  /// kept on its list (``PymallocOptions/keepsEmptyPoolPerClass``).
  @inlinable
  @inline(never)
  internal func _insertToFreePool(_ pool: _Pool) {
    let arena = _state.pointee.arena(at: pool.pointee.arenaIndex)
    let keeps = _state.pointee.options.keepsEmptyPoolPerClass
    if keeps, _keepsEmptyPool(pool, in: arena) { return }
    pool._unlink()
    _moveToFreePools(pool, of: arena)
    if keeps, arena.pointee.address != nil, _onlyKeptPoolsHoldBack(arena) {
      _releaseKeptEmptyPools(of: arena)
    }
  }

  /// Puts an empty pool, already off every list, on its arena's free list, and re-sorts or releases the arena.
  @usableFromInline
  internal func _moveToFreePools(_ pool: _Pool, of arena: _Arena) {
    pool.pointee.nextPool = arena.pointee.freePools
    arena.pointee.freePools = pool
    if _state.pointee.arenaGainedPool(arena) {
      _releaseArena(arena)
    } else {
      _state.pointee.purgeAfterPoolEmptied(pool, in: arena)
    }
  }

  /// Returns a wholly free arena, already off the usable list, to the arena source.
  @usableFromInline
  internal func _releaseArena(_ arena: _Arena) {
    let base = arena.pointee.address.unsafelyUnwrapped
    _ArenaMap.unmark(arenaAt: base)
    arena.pointee.address = nil
    arena.pointee.freePools = nil
    arena.pointee.purgedPools = 0
    arena.pointee.reusedPools = 0
    arena.pointee.nextArena = _state.pointee.unusedArenas
    _state.pointee.unusedArenas = arena
    _state.pointee.arenasCurrentlyAllocated -= 1
    _MemoryTracking.arenaReleased(base)
    _state.pointee.arenaSource.release(base, _Layout.arenaSize)
  }

  /// A pointer that is not in this heap's arenas: a raw block (no pymalloc heap owns it), or a block of another
  /// pymalloc heap, which is refused — handing it to `Raw` would give glibc an address it never returned, and
  /// freeing it here would corrupt both heaps. The refusal is said on standard error and the block stays with
  /// its heap. Out of line, so that the pool free path saves no registers for a call it does not make.
  @inlinable
  @inline(never)
  internal func _deallocateNotOwned(_ pointer: UnsafeMutableRawPointer, owner: UInt16) {
    guard owner == 0 else { return _refuseBlockOfAnotherHeap(pointer, owner: owner, operation: "free") }
    raw.deallocate(pointer)
    _state.pointee.rawAllocatedBlocks -= 1
  }
}
