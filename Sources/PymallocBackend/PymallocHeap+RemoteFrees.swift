//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CPymallocShim

/// Blocks other threads free into a heap: the thread heaps of ``ConcurrentPymallocHeap`` (mimalloc's thread-free
/// and delayed-free lists, over CPython's pools). A single-owner heap never takes these paths
/// (`acceptsRemoteFrees` is `false`), and the fast paths never ask.
///
///     pool.remoteFreeBlocks   blocks other threads freed into the pool, LIFO through their first word | delay flag
///     heap delayedFrees       blocks other threads freed into pools whose delay flag was set
///
/// Invariants kept here:
/// - a remote free never touches a pool's count, free list or links, only one of the two lists, with one
///   compare-and-swap. Both are push-only stacks that the owner takes whole, which makes them ABA-safe: a push
///   succeeds only while the head is still the one its link names, and whatever happened to that head in between,
///   the link is right;
/// - the owner takes a pool's remote list back when the pool's own free list runs dry and nothing is left to carve
///   (``_retireRanDryPool(_:)``). If the remote list is empty too, the pool is full: it leaves its class's list and
///   its delay flag is set in the same exchange, so a later remote free goes to the heap's delayed list, which the
///   owner drains on its slow path — a full pool is on no list, and its owner would otherwise never look at it;
/// - the flag stays set while the pool serves its own thread only (a pool that cycles between full and used then pays
///   no atomic operation). When the owner frees a delayed block into a pool that keeps a free block, the flag goes:
///   that pool's remote frees come on its own list again, as mimalloc sends only a full page's first remote free
///   the long way. (The exchange that flags a pool is skipped when the flag is already set.)
extension PymallocHeap {
  /// A used pool gave its last free block and has nothing left to carve: it is full and leaves its class's list —
  /// unless other threads freed blocks into it, which become its free list again (in a hardened heap, from the
  /// head on as far as each block proves a free block of the pool).
  @inlinable
  @inline(never)
  internal func _retireRanDryPool<Links: _FreeListLinks>(_ pool: _Pool, links: Links.Type) {
    guard _state.pointee.acceptsRemoteFrees else { return pool._unlink() }
    let word = pool._remoteFreeWord
    // Already flagged: no other thread writes the word, so there is no list to take and no flag to set — and no
    // atomic exchange to pay (a pool of a class that cycles between full and used goes this way every time).
    guard sm_load_relaxed_word(word) != _Pool._delayFlag else { return pool._unlink() }
    let list = sm_exchange_word(word, _Pool._delayFlag) & ~_Pool._delayFlag
    guard let first = UnsafeMutableRawPointer(bitPattern: list) else { return pool._unlink() }  // full; remote frees now go to the delayed list
    guard Links.isFreeBlock(first, of: pool, sizeIndex: Int(pool.pointee.sizeIndex), in: _state) else {
      _state._reportCorruption(.corruptFreeList, block: first, pool: pool)
      return pool._unlink()  // the list is dropped; the flag stays, as for a full pool
    }
    // Safe: while the flag is set no other thread writes the word.
    sm_store_release_word(word, 0)
    pool._adoptFreeList(first, links: links, in: _state)
  }

  /// Frees the blocks other threads freed into full pools; whether there were any.
  @inlinable
  @inline(never)
  internal func _freeDelayedBlocks() -> Bool {
    let list = sm_exchange_word(_state._delayedFreesWord, 0)
    guard list != 0 else { return false }
    _freeLocally(list)
    return true
  }

  /// Takes back every block other threads freed into the heap — from every pool's remote list and the delayed
  /// list — and frees them here: for a heap whose thread ended, so that nothing stays held.
  ///
  /// - Precondition: the caller owns the heap (its thread, or the shared lock for an abandoned heap).
  internal func _takeBackAllRemoteFrees() {
    guard _state.pointee.isHardened else { return _takeBackAllRemoteFrees(links: _PlainLinks.self) }
    _takeBackAllRemoteFrees(links: _SafeLinks.self)
  }

  /// ``_takeBackAllRemoteFrees()`` over the lists `Links` reads.
  internal func _takeBackAllRemoteFrees<Links: _FreeListLinks>(links: Links.Type) {
    var all = sm_exchange_word(_state._delayedFreesWord, 0)
    _state.pointee.forEachAttachedArena { arena in
      for index in 0..<arena._carvedPoolCount where !arena._isPurged(poolAt: index) {
        // The flag stays: a full pool must keep sending remote frees to the delayed list.
        let list = sm_fetch_and_word(arena._pool(at: index)._remoteFreeWord, _Pool._delayFlag) & ~_Pool._delayFlag
        all = _chain(list, before: all, links: links)
      }
    }
    // Freed only once every list is taken: a free may release an arena whose pools were still to be visited.
    _freeLocally(all, links: links)
  }

  /// `list`, then `rest`: the lists of blocks joined through the last block's link (allocating nothing, as a
  /// thread's exit must). A hardened heap keeps of `list` only the blocks before the first that is not a free
  /// block of its own.
  internal func _chain<Links: _FreeListLinks>(_ list: UInt, before rest: UInt, links: Links.Type) -> UInt {
    guard var last = UnsafeMutableRawPointer(bitPattern: list) else { return rest }
    guard Links.isListedFreeBlock(last, in: _state) else {
      _state._reportCorruption(.corruptFreeList, block: last, pool: _Pool.containing(last))
      return rest
    }
    while let next = Links.link(of: last, in: _state) {
      guard Links.isListedFreeBlock(next, in: _state) else {
        _state._reportCorruption(.corruptFreeList, block: next, pool: _Pool.containing(next))
        break
      }
      last = next
    }
    Links.setLink(UnsafeMutableRawPointer(bitPattern: rest), of: last, in: _state)
    return list
  }

  /// Frees a list of blocks linked through their first word, as the owner.
  @inlinable
  internal func _freeLocally(_ list: UInt) {
    guard _state.pointee.isHardened else { return _freeLocally(list, links: _PlainLinks.self) }
    _freeLocally(list, links: _SafeLinks.self)
  }

  /// ``_freeLocally(_:)`` over the lists `Links` reads; a hardened heap stops at a block that is not a free block
  /// of its own.
  @inlinable
  internal func _freeLocally<Links: _FreeListLinks>(_ list: UInt, links: Links.Type) {
    var next = UnsafeMutableRawPointer(bitPattern: list)
    while let block = next {
      guard Links.isListedFreeBlock(block, in: _state) else {
        return _state._reportCorruption(.corruptFreeList, block: block, pool: _Pool.containing(block))
      }
      next = Links.link(of: block, in: _state)
      Links.markTaken(block)  // it was marked when pushed; the free marks it again
      let pool = _Pool.containing(block)
      let staysInUse = pool.pointee.count > 1  // so the free releases no arena, and the header can be read after
      _pymallocFree(block, links: links)
      if staysInUse, pool.pointee.freeBlock != nil { pool._endDelay() }
    }
  }

  /// Returns every wholly free arena to the arena source, whatever the retention rule: for a heap whose thread
  /// ended, which should hold no memory it does not use.
  internal func _releaseWhollyFreeArenas() {
    _state.pointee.forEachAttachedArena { arena in
      guard arena.pointee.freePoolCount == arena.pointee.totalPoolCount else { return }
      _state.pointee.unlinkWhollyFreeArena(arena)
      _releaseArena(arena)  // the descriptor stays where it is: the walk goes on
    }
  }
}

extension UnsafeMutablePointer where Pointee == _PoolHeader {
  /// The delay flag in ``_PoolHeader/remoteFreeBlocks``'s bit 0 (blocks are 16-aligned).
  @inlinable
  internal static var _delayFlag: UInt { 1 }

  /// ``_PoolHeader/remoteFreeBlocks``, as a word other threads update atomically.
  @inlinable
  @inline(__always)
  internal var _remoteFreeWord: UnsafeMutablePointer<UInt> {
    // Safe: the header lays its fields out in declaration order; `PoolTests` checks the offset.
    (UnsafeMutableRawPointer(self) + 32).assumingMemoryBound(to: UInt.self)
  }

  /// The owner freed a block of the delayed list into this pool, which is in use with a free block: if the pool is
  /// flagged, the flag goes, so other threads' frees come on its own list again, taken whole when it runs dry, not
  /// one by one through the heap's. (Safe: while the flag is set no other thread writes the word.)
  @inlinable
  internal func _endDelay() {
    if sm_load_relaxed_word(_remoteFreeWord) == _Pool._delayFlag { sm_store_release_word(_remoteFreeWord, 0) }
  }

  /// Makes the list from `first`, blocks other threads freed into this pool of `heap`, its free list (which is
  /// empty), and counts them freed. A pool keeps at least the block its owner just took, so its count stays above
  /// 0. (The sanitizers learn of a remote free here, when the owner takes the block back.) A hardened heap keeps
  /// the blocks before the first that is not one of the pool's free blocks, and reports that one.
  @inlinable
  internal func _adoptFreeList<Links: _FreeListLinks>(
    _ first: UnsafeMutableRawPointer, links: Links.Type, in heap: _HeapStatePointer
  ) {
    let sizeIndex = Int(pointee.sizeIndex)
    var count: UInt16 = 0
    var last = first
    var next: UnsafeMutableRawPointer? = first
    while let block = next {
      guard Links.isFreeBlock(block, of: self, sizeIndex: sizeIndex, in: heap) else {
        heap._reportCorruption(.corruptFreeList, block: block, pool: self)
        break
      }
      count &+= 1
      last = block
      next = Links.link(of: block, in: heap)
      _MemoryTracking.freed(block, from: self, in: heap)
    }
    Links.setLink(pointee.freeBlock, of: last, in: heap)
    pointee.freeBlock = first
    pointee.count &-= count
  }
}

extension UnsafeMutablePointer where Pointee == _HeapState {
  /// The head of the heap's delayed list, as a word other threads update atomically.
  @inlinable
  @inline(__always)
  internal var _delayedFreesWord: UnsafeMutablePointer<UInt> {
    UnsafeMutableRawPointer(_remoteFrees).assumingMemoryBound(to: UInt.self)
  }

  /// The owning thread, ``_RemoteFreeState/abandoned`` or ``_RemoteFreeState/frozen``, as a word other threads read.
  @inlinable
  @inline(__always)
  internal var _threadWord: UnsafeMutablePointer<UInt> {
    (UnsafeMutableRawPointer(_remoteFrees) + MemoryLayout<UInt>.stride).assumingMemoryBound(to: UInt.self)
  }

  /// Another thread frees `block`, of this heap's `pool`: onto the pool's remote list, or the heap's delayed list
  /// when the pool's delay flag is set. Lock-free. A hardened heap first refuses what its free would refuse (a
  /// double free among them: a block on any list carries its free mark).
  @usableFromInline
  internal func _pushRemoteFree(_ block: UnsafeMutableRawPointer, in pool: _Pool) {
    guard pointee.isHardened else { return _pushRemoteFree(block, in: pool, links: _PlainLinks.self) }
    _pushRemoteFree(block, in: pool, links: _SafeLinks.self)
  }

  /// ``_pushRemoteFree(_:in:)`` with links `Links` writes.
  @usableFromInline
  internal func _pushRemoteFree<Links: _FreeListLinks>(
    _ block: UnsafeMutableRawPointer, in pool: _Pool, links: Links.Type
  ) {
    guard Links.mayFree(block, of: pool, in: self) else { return }
    Links.markFree(block, sizeIndex: Int(pool.pointee.sizeIndex), in: self)
    let word = pool._remoteFreeWord
    var head = sm_load_relaxed_word(word)
    while head & _Pool._delayFlag == 0 {
      Links.setLink(UnsafeMutableRawPointer(bitPattern: head), of: block, in: self)
      if sm_compare_exchange_word(word, &head, UInt(bitPattern: block)) { return }
    }
    let delayed = _delayedFreesWord
    var delayedHead = sm_load_relaxed_word(delayed)
    repeat {
      Links.setLink(UnsafeMutableRawPointer(bitPattern: delayedHead), of: block, in: self)
    } while !sm_compare_exchange_word(delayed, &delayedHead, UInt(bitPattern: block))
  }
}
