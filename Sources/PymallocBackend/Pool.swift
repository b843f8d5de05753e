//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Block management inside one pool: lazy carving and the LIFO free list.
///
/// A pool is carved lazily ("never touch memory until needed"): initialisation hands out the block at offset 48
/// and puts the one after it on the free list; every later block comes from the bump offset `nextOffset` only
/// when the free list runs dry. Freed blocks are pushed on the free list, their first word holding the previous
/// head, so the next allocation of the class returns the block freed last. (A heap that carves in random order
/// carves a pool whole at initialisation instead: `Pool+RandomCarving.swift`.)
extension UnsafeMutablePointer where Pointee == _PoolHeader {
  /// The pool that holds `pointer`: the address rounded down to ``_Layout/poolSize`` (CPython's `POOL_ADDR`).
  @inlinable
  @inline(__always)
  internal static func containing(_ pointer: UnsafeRawPointer) -> _Pool {
    let address = UInt(bitPattern: pointer) & ~UInt(_Layout.poolMask)
    // Safe: a pointer inside an arena is never in the first pool-sized page of the address space.
    return UnsafeMutableRawPointer(bitPattern: address).unsafelyUnwrapped.assumingMemoryBound(to: _PoolHeader.self)
  }

  /// The pool's first byte.
  @inlinable
  @inline(__always)
  internal var _base: UnsafeMutableRawPointer { UnsafeMutableRawPointer(self) }

  /// Initialises a pool for class `sizeIndex` and returns its first block (CPython's `pool_init`).
  ///
  /// Afterwards: `count == 1`, the free list holds exactly the second block (whose link is `nil`), `nextOffset`
  /// points at the third, and a hardened heap has sealed the header. A heap that carves in random order
  /// (``PymallocOptions/carvesInRandomOrder``) carves every block instead: a random one is returned, the others are
  /// on the free list in a random order, and `nextOffset` is past the last block (see `Pool+RandomCarving.swift`).
  @inlinable
  internal func _initialize<Links: _FreeListLinks>(
    sizeIndex: Int, links: Links.Type, in heap: _HeapStatePointer
  ) -> UnsafeMutableRawPointer {
    let size = _SizeClass.blockSize(ofIndex: sizeIndex)
    pointee.sizeIndex = UInt16(truncatingIfNeeded: sizeIndex)
    pointee.count = 1
    pointee.maximumNextOffset = UInt16(truncatingIfNeeded: _Layout.poolSize - size)
    let first: UnsafeMutableRawPointer
    if heap.pointee.carvesInRandomOrder {
      first = _carveInRandomOrder(blockSize: size, links: links, in: heap)
    } else {
      first = _base + _Layout.poolOverhead
      let second = first + size
      Links.setLink(nil, of: second, in: heap)
      Links.markFree(second, sizeIndex: sizeIndex, in: heap)
      pointee.freeBlock = second
      pointee.nextOffset = UInt16(truncatingIfNeeded: _Layout.poolOverhead + 2 * size)
    }
    Links.sealHeader(of: self, in: heap)
    return first
  }

  /// Pops the head of the free list, a block of class `sizeIndex` (the class asked for), and counts it allocated.
  /// The caller makes sure the list is not empty.
  ///
  /// - Returns: The block, and whether the free list is now empty (the caller extends it or retires the pool);
  ///   `nil` when a hardened heap finds the head is not one of the pool's free blocks (nothing changed).
  @inlinable
  @inline(__always)
  internal func _popFreeBlock<Links: _FreeListLinks>(
    sizeIndex: Int, links: Links.Type, in heap: _HeapStatePointer
  ) -> (block: UnsafeMutableRawPointer, listIsEmpty: Bool)? {
    let block = pointee.freeBlock.unsafelyUnwrapped
    guard Links.isFreeBlock(block, of: self, sizeIndex: sizeIndex, in: heap) else { return nil }
    pointee.count &+= 1  // Safe: count ≤ blocks per pool ≤ 1021.
    let next = Links.link(of: block, in: heap)
    pointee.freeBlock = next
    return (block, next == nil)
  }

  /// Puts the next virgin block on the empty free list.
  ///
  /// - Returns: `false` when every block has been carved already: the pool is full.
  @inlinable
  @inline(__always)
  internal func _extendFreeList<Links: _FreeListLinks>(links: Links.Type, in heap: _HeapStatePointer) -> Bool {
    let offset = pointee.nextOffset
    guard offset <= pointee.maximumNextOffset else { return false }
    let block = _base + Int(offset)
    Links.setLink(nil, of: block, in: heap)
    Links.markFree(block, sizeIndex: Int(pointee.sizeIndex), in: heap)
    pointee.freeBlock = block
    pointee.nextOffset = offset &+ UInt16(truncatingIfNeeded: _blockSize)
    return true
  }

  /// Pushes `block` on the free list, whose head is `head`, and counts it freed.
  ///
  /// - Returns: The new count: 0 means the pool is now empty.
  @inlinable
  @inline(__always)
  internal func _pushFreeBlock<Links: _FreeListLinks>(
    _ block: UnsafeMutableRawPointer, onto head: UnsafeMutableRawPointer?, links: Links.Type,
    in heap: _HeapStatePointer
  ) -> UInt16 {
    Links.setLink(head, of: block, in: heap)
    Links.markFree(block, sizeIndex: Int(pointee.sizeIndex), in: heap)
    pointee.freeBlock = block
    pointee.count &-= 1  // Safe: the block was allocated, so count ≥ 1.
    return pointee.count
  }

  /// Block size of the pool's class.
  @inlinable
  @inline(__always)
  internal var _blockSize: Int { _SizeClass.blockSize(ofIndex: Int(pointee.sizeIndex)) }

  /// Removes the pool from the doubly linked list it is on.
  @inlinable
  @inline(__always)
  internal func _unlink() {
    let next = pointee.nextPool.unsafelyUnwrapped
    let previous = pointee.previousPool.unsafelyUnwrapped
    next.pointee.previousPool = previous
    previous.pointee.nextPool = next
  }

  /// Links the pool right after `sentinel`, at the front of a class's used list.
  @inlinable
  @inline(__always)
  internal func _linkAtFront(of sentinel: _Pool) {
    let next = sentinel.pointee.nextPool.unsafelyUnwrapped
    pointee.nextPool = next
    pointee.previousPool = sentinel
    next.pointee.previousPool = self
    sentinel.pointee.nextPool = self
  }
}
