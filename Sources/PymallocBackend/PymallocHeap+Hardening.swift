//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The hardened mode's entry points and its report (``PymallocOptions/hardened``; the checks are ``_SafeLinks``).
///
/// An ordinary heap's allocation and free test ``_HeapState/isHardened`` once, at their entry, and run the plain
/// paths; a hardened heap's run the same paths specialised for ``_SafeLinks``, out of line. A corruption is
/// reported (``HeapCorruption``) and aborts, or goes to the host's handler, after which the heap carries on
/// without the corrupt part: it never hands out a block that failed a check.
extension PymallocHeap {
  /// The allocation path of a hardened heap.
  @inlinable
  @inline(never)
  internal func _hardenedAllocate(_ byteCount: Int) -> UnsafeMutableRawPointer? {
    _pymallocAllocate(byteCount, links: _SafeLinks.self)
  }

  /// The free path of a hardened heap.
  @inlinable
  @inline(never)
  internal func _hardenedFree(_ block: UnsafeMutableRawPointer) {
    _pymallocFree(block, links: _SafeLinks.self)
  }

  /// The head of `pool`'s free list failed its check: it is reported, and the pool goes on without the list (its
  /// blocks are lost), carving or leaving its class's list as if the list had run dry.
  @inlinable
  @inline(never)
  internal func _dropCorruptFreeList<Links: _FreeListLinks>(of pool: _Pool, links: Links.Type) {
    _state._reportCorruption(.corruptFreeList, block: pool.pointee.freeBlock, pool: pool)
    pool.pointee.freeBlock = nil
    _replenishRanDryPool(pool, links: links)
  }

  /// Whether `pool`, an empty pool of the wanted class, may be reused without initialisation: its header is
  /// intact (a hardened heap reports one that is not, and initialises it afresh).
  @inlinable
  @inline(__always)
  internal func _isReusable<Links: _FreeListLinks>(_ pool: _Pool, links: Links.Type) -> Bool {
    guard Links.isIntactHeader(of: pool, in: _state) else {
      _state._reportCorruption(.corruptPoolHeader, block: pool._base, pool: pool)
      return false
    }
    return true
  }
}

extension UnsafeMutablePointer where Pointee == _HeapState {
  /// Reports a corruption of `kind` found at `block` in `pool`: to the heap's
  /// ``PymallocOptions/corruptionHandler``, or on standard error followed by `abort()`.
  @usableFromInline
  @inline(never)
  internal func _reportCorruption(_ kind: HeapCorruption.Kind, block: UnsafeRawPointer?, pool: _Pool) {
    let corruption = HeapCorruption(
      kind: kind, block: UInt(bitPattern: block), pool: UInt(bitPattern: pool),
      sizeClass: Int(pool.pointee.sizeIndex), heapNumber: Int(pointee.heapID))
    guard let handler = pointee.options.corruptionHandler else {
      FileDescriptorOutput.standardError.write("swift-malloc: \(corruption); aborting (SWIFTMALLOC_HARDEN)\n")
      abort()
    }
    handler(corruption)
  }
}
