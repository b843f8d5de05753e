//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The random carving order (``PymallocOptions/carvesInRandomOrder``): a fresh pool gets its whole free list at
/// initialisation, in a random order, so that the blocks allocated one after the other are not address neighbours.
///
/// The order is an inside-out Fisher–Yates shuffle of the pool's block indices, and it needs no memory beyond the
/// pool: while it is built, block `p`'s second word (the word a hardened heap's free mark takes) holds `slot[p]`,
/// the index of the block at position `p` of the order.
///
///     shuffle   for p in 0 ..< n: j = random 0 … p; slot[p] = slot[j]; slot[j] = p
///     link      block slot[0] is handed out; block slot[p] links to block slot[p + 1], the last one to nil;
///               block p reads its slot before it gets its free mark, so no slot is overwritten unread
///
/// Every block is carved at once: `nextOffset` is past the last block, so the pool never carves lazily, and its
/// pages are all touched when it is initialised. Links and marks are written through `Links`, so a hardened heap's
/// encoding and checks hold as for a lazily carved pool. A plain heap leaves the slot in a free block's second
/// word, which nothing reads.
extension UnsafeMutablePointer where Pointee == _PoolHeader {
  /// Carves every block of the pool, whose blocks are `size` bytes, onto its free list in a random order, and
  /// returns the block handed out first; `nextOffset` ends past the last block. The header's other fields are the
  /// caller's (``_initialize(sizeIndex:links:in:)``).
  @inlinable
  @inline(never)
  internal func _carveInRandomOrder<Links: _FreeListLinks>(
    blockSize size: Int, links: Links.Type, in heap: _HeapStatePointer
  ) -> UnsafeMutableRawPointer {
    let count = (_Layout.poolSize - _Layout.poolOverhead) / size
    _shuffleBlockIndices(count: count, blockSize: size, generator: &heap.pointee.carvingGenerator)
    pointee.nextOffset = UInt16(truncatingIfNeeded: _Layout.poolOverhead + count * size)
    return _linkInShuffledOrder(count: count, blockSize: size, links: links, in: heap)
  }

  /// The inside-out Fisher–Yates shuffle: afterwards the slots of blocks `0 ..< count` hold a random permutation
  /// of `0 ..< count`.
  @inlinable
  @inline(__always)
  internal func _shuffleBlockIndices(count: Int, blockSize size: Int, generator: inout _CarvingGenerator) {
    let first = _base + _Layout.poolOverhead
    for position in 0..<count {
      let other = generator.next(upTo: position)
      let holder = first + position * size
      let otherHolder = first + other * size
      if other != position { Self._setShuffleSlot(Self._shuffleSlot(of: otherHolder), of: holder) }
      Self._setShuffleSlot(position, of: otherHolder)
    }
  }

  /// Links the blocks in the order the slots give, marks each free but the first, and returns the first.
  @inlinable
  @inline(__always)
  internal func _linkInShuffledOrder<Links: _FreeListLinks>(
    count: Int, blockSize size: Int, links: Links.Type, in heap: _HeapStatePointer
  ) -> UnsafeMutableRawPointer {
    let first = _base + _Layout.poolOverhead
    let handedOut = first + Self._shuffleSlot(of: first) * size
    let sizeIndex = Int(pointee.sizeIndex)
    if first != handedOut { Links.markFree(first, sizeIndex: sizeIndex, in: heap) }
    var tail = handedOut
    for position in 1..<count {
      let holder = first + position * size
      let block = first + Self._shuffleSlot(of: holder) * size
      if holder != handedOut { Links.markFree(holder, sizeIndex: sizeIndex, in: heap) }
      if tail == handedOut { pointee.freeBlock = block } else { Links.setLink(block, of: tail, in: heap) }
      tail = block
    }
    Links.setLink(nil, of: tail, in: heap)  // Safe: every class has at least two blocks, so tail is not handedOut.
    return handedOut
  }

  /// The slot block `holder` keeps in its second word while the order is built.
  @inlinable
  @inline(__always)
  internal static func _shuffleSlot(of holder: UnsafeMutableRawPointer) -> Int {
    Int(bitPattern: UInt(bitPattern: _MemoryTracking.link(of: holder + MemoryLayout<UInt>.stride)))
  }

  /// Stores `slot` in the second word of block `holder`.
  @inlinable
  @inline(__always)
  internal static func _setShuffleSlot(_ slot: Int, of holder: UnsafeMutableRawPointer) {
    _MemoryTracking.setLink(UnsafeMutableRawPointer(bitPattern: slot), of: holder + MemoryLayout<UInt>.stride)
  }
}
