//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension PymallocHeap {
  /// Classifies `pointer` exactly, reading only memory inside pymalloc's arenas.
  ///
  /// - ``BlockOwnership/foreign``: outside every pymalloc arena's pools (raw blocks and the alignment loss
  ///   included).
  /// - ``BlockOwnership/anotherHeap(owner:heap:)``: in an arena of another pymalloc heap.
  /// - ``BlockOwnership/blockStart``: at `pool + 48 + k · size` in a carved pool, for k below the pool's block
  ///   count.
  /// - ``BlockOwnership/interior``: anywhere else in an arena's pools: inside a block, a pool header, the
  ///   quantization tail, a never-carved or purged pool.
  public func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership {
    let owner = _ArenaMap.owner(of: pointer)
    guard owner != 0 else { return .foreign }
    guard owner == _state.pointee.heapID else {
      return .anotherHeap(owner: "pymalloc heap #\(owner)", heap: "pymalloc heap #\(heapNumber)")
    }
    guard let pool = _carvedPool(containing: pointer) else { return .interior }
    let offset = pointer - UnsafeRawPointer(pool)
    let sizeIndex = Int(pool.pointee.sizeIndex)
    guard offset >= _Layout.poolOverhead, sizeIndex < _Layout.sizeClassCount else { return .interior }
    let (block, remainder) = (offset - _Layout.poolOverhead).quotientAndRemainder(
      dividingBy: _SizeClass.blockSize(ofIndex: sizeIndex))
    return remainder == 0 && block < _SizeClass.blocksPerPool(ofIndex: sizeIndex) ? .blockStart : .interior
  }

  /// The number of the pymalloc heap whose arena holds `pointer` (this one or another), or `nil` when none does.
  public static func heapNumber(owning pointer: UnsafeRawPointer) -> Int? {
    let owner = _ArenaMap.owner(of: pointer)
    return owner == 0 ? nil : Int(owner)
  }

  /// The carved pool holding `pointer`, an address the arena map gives this heap; `nil` when the pool was never
  /// carved or was purged.
  internal func _carvedPool(containing pointer: UnsafeRawPointer) -> _Pool? {
    let pool = _Pool.containing(pointer)
    let poolBits = UInt(bitPattern: pool)
    // The map owns whole pools only, so the header lies inside an arena of this heap and reading it is safe; if
    // the pool was never carved its index is arbitrary, and the descriptor check below rejects it (arenas do not
    // overlap: the descriptor whose range holds the pool is the pool's).
    let index = Int(pool.pointee.arenaIndex)
    guard index < _state.pointee.maximumArenaCount else { return nil }
    let arena = _state.pointee.arena(at: UInt32(index))
    let base = UInt(bitPattern: arena.pointee.address)
    guard base != 0, poolBits >= base, poolBits < UInt(bitPattern: arena.pointee.poolAddress),
      !arena._isPurged(poolAt: arena._index(of: pool))
    else { return nil }
    return pool
  }

  /// Says on standard error that `operation` of `pointer`, a block of pymalloc heap `owner`, was refused here.
  @usableFromInline
  @inline(never)
  internal func _refuseBlockOfAnotherHeap(_ pointer: UnsafeRawPointer, owner: UInt16, operation: String) {
    FileDescriptorOutput.standardError.write(
      "swift-malloc: pymalloc heap #\(heapNumber) refused to \(operation) \(pointer): the block belongs to"
        + " pymalloc heap #\(owner); free it through the heap that allocated it\n")
  }
}

extension PymallocHeap {
  /// The block size of a pymalloc block (of any heap: its pool header says it); the raw allocator's answer for
  /// anything else. Under `make asan` the whole block is open to ASan from then on, not just the bytes requested.
  @inlinable
  public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    guard _ArenaMap.owner(of: pointer) != 0 else { return raw.usableSize(of: pointer) }
    let size = _Pool.containing(pointer)._blockSize
    _MemoryTracking.resized(pointer, byteCount: size, blockSize: size)  // the caller may now use all of it
    return size
  }
}
