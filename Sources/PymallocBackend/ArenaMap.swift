//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CPymallocShim

/// One slot of the arena map: which parts of an ideal (1 MiB-aligned) arena slot belong to which heap.
///
/// An arena at base `B` with `tail = B & (ARENA_SIZE − 1)` holds its whole pools from `tail` rounded up to a pool
/// boundary in B's slot to `tail` rounded down in the next slot; only those are recorded, so the alignment loss at
/// either end belongs to no heap. Bounds are kept in units of 16 bytes, beside the heap that owns each part:
///
///     bits  0 … 15   lowTail    offsets below lowTail × 16 belong to the arena that started in the previous slot
///     bits 16 … 31   lowOwner   that arena's heap (0: no such arena)
///     bits 32 … 47   highTail   offsets from highTail × 16 up belong to the arena that starts in this slot
///     bits 48 … 63   highOwner  that arena's heap (0: no such arena)
///
/// An aligned arena is `highTail = 0` with its owner. One word, read and written atomically, so any thread may
/// look an address up while the heaps of other threads attach and release arenas.
@usableFromInline
@frozen
internal struct _ArenaMapLeaf {
  @usableFromInline
  internal var bits: UInt64

  @inlinable
  internal init(bits: UInt64) { self.bits = bits }

  @inlinable
  internal var lowTail: UInt64 { bits & 0xFFFF }

  @inlinable
  internal var lowOwner: UInt16 { UInt16(truncatingIfNeeded: bits &>> 16) }

  @inlinable
  internal var highTail: UInt64 { (bits &>> 32) & 0xFFFF }

  @inlinable
  internal var highOwner: UInt16 { UInt16(truncatingIfNeeded: bits &>> 48) }

  /// The heap owning in-slot offset `unit` × 16 … + 15, or 0.
  @inlinable
  @inline(__always)
  internal func owner(atUnit unit: UInt64) -> UInt16 {
    if unit < lowTail { return lowOwner }
    return unit >= highTail ? highOwner : 0
  }
}

/// The process-wide answer to "which heap, if any, owns this address?": a three-level radix tree over the 44 bits
/// of the ideal arena number `address >> 20`, shared by every pymalloc heap of the process.
///
///     bits 63 … 49   root index   (15 bits, 2^15 mid pointers   = 256 KiB, static)
///     bits 48 … 34   mid index    (15 bits, 2^15 bottom pointers = 256 KiB per mid node)
///     bits 33 … 20   bottom index (14 bits, 2^14 leaves of 8 B   = 128 KiB per bottom node)
///     bits 19 … 4    offset inside the ideal arena slot, in 16-byte units, compared with the leaf's tails
///
/// Invariants kept here:
/// - a leaf part names a heap exactly while that heap has an arena attached over it, and covers whole pools of
///   that arena only: the pool-sized page of an owned address, its header first, lies inside the arena, so a heap
///   reads a pool header only inside its own arenas (CPython's `address_in_range` also owns the alignment loss,
///   whose "pool header" lies in another mapping);
/// - nodes are mapped on demand with `mmap` (zeroed) and never unmapped: a lookup never creates a node, never
///   takes a lock, and never reads memory outside the tree, so any pointer — foreign, freed, from another heap or
///   another thread — is safe to ask about;
/// - nodes and leaf words are written only under the map lock; a new node is published with a release store.
///
/// One map for the process (CPython keeps one per interpreter) lets a heap recognise another heap's block instead
/// of handing it to the raw allocator, and lets the concurrent heap find a block's owner from any thread.
@usableFromInline
internal enum _ArenaMap {
  /// Bits of the root and mid indices.
  @usableFromInline
  internal static var interiorBits: Int { 15 }
  /// Bits of the bottom index.
  @usableFromInline
  internal static var bottomBits: Int { 14 }
  /// Entries of the root and of each mid node.
  @usableFromInline
  internal static var interiorLength: Int { 1 << interiorBits }
  /// Leaves of each bottom node.
  @usableFromInline
  internal static var bottomLength: Int { 1 << bottomBits }
  /// Bytes of the root (and of each mid node).
  internal static var interiorNodeBytes: Int { interiorLength * MemoryLayout<UnsafeRawPointer?>.stride }
  /// Bytes of each bottom node.
  internal static var bottomNodeBytes: Int { bottomLength * MemoryLayout<_ArenaMapLeaf>.stride }

  @inlinable
  @inline(__always)
  internal static func _rootIndex(_ address: UInt) -> Int {
    Int(truncatingIfNeeded: address &>> (_Layout.arenaShift + bottomBits + interiorBits))
  }

  @inlinable
  @inline(__always)
  internal static func _midIndex(_ address: UInt) -> Int {
    Int(truncatingIfNeeded: (address &>> (_Layout.arenaShift + bottomBits)) & UInt(interiorLength - 1))
  }

  @inlinable
  @inline(__always)
  internal static func _bottomIndex(_ address: UInt) -> Int {
    Int(truncatingIfNeeded: (address &>> _Layout.arenaShift) & UInt(bottomLength - 1))
  }

  /// The leaf word of `address`'s ideal arena slot, or `nil` when its nodes do not exist (nothing there is owned).
  @inlinable
  @inline(__always)
  internal static func _existingLeaf(_ address: UInt) -> UnsafeMutablePointer<UInt64>? {
    guard let mid = sm_pymalloc_map_mid(_rootIndex(address)) else { return nil }
    let bottoms = mid.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    guard let bottom = sm_load_acquire_pointer(bottoms + _midIndex(address)) else { return nil }
    return bottom.assumingMemoryBound(to: UInt64.self) + _bottomIndex(address)
  }

  /// The heap that owns `address` (its ``_HeapState/heapID``), or 0 when no pymalloc heap does.
  @inlinable
  @inline(__always)
  internal static func owner(of address: UnsafeRawPointer) -> UInt16 {
    let bits = UInt(bitPattern: address)
    guard let leaf = _existingLeaf(bits) else { return 0 }
    let unit = UInt64(bits & UInt(_Layout.arenaMask)) &>> 4
    return _ArenaMapLeaf(bits: sm_load_relaxed_u64(leaf)).owner(atUnit: unit)
  }

  /// Records the arena at `base` as `owner`'s.
  ///
  /// - Returns: `false`, with nothing recorded, when a node cannot be mapped or the arena would wrap around the
  ///   address space.
  internal static func mark(arenaAt base: UnsafeMutableRawPointer, owner: UInt16) -> Bool {
    precondition(owner != 0, "heap identity 0 means no heap")
    let bits = UInt(bitPattern: base)
    let (end, overflow) = bits.addingReportingOverflow(UInt(_Layout.arenaSize))
    guard !overflow else { return false }
    let tail = UInt64(bits & UInt(_Layout.arenaMask)) &>> 4
    sm_pymalloc_map_lock()
    defer { sm_pymalloc_map_unlock() }
    guard let high = _leafCreatingNodes(bits) else { return false }
    guard tail == 0 else {
      guard let low = _leafCreatingNodes(end) else { return false }
      let poolUnits = UInt64(_Layout.poolSize &>> 4)
      let firstPool = (tail + poolUnits - 1) & ~(poolUnits - 1)  // in B's slot; the slot's end when none starts there
      let poolsEnd = tail & ~(poolUnits - 1)  // in the next slot
      if firstPool < UInt64(_Layout.arenaSize &>> 4) {
        _update(high) { ($0 & 0x0000_0000_FFFF_FFFF) | UInt64(owner) << 48 | firstPool << 32 }
      }
      if poolsEnd != 0 { _update(low) { ($0 & 0xFFFF_FFFF_0000_0000) | UInt64(owner) << 16 | poolsEnd } }
      return true
    }
    _update(high) { ($0 & 0x0000_0000_FFFF_FFFF) | UInt64(owner) << 48 }
    return true
  }

  /// Forgets the arena at `base`; the nodes stay.
  internal static func unmark(arenaAt base: UnsafeMutableRawPointer) {
    let bits = UInt(bitPattern: base)
    sm_pymalloc_map_lock()
    defer { sm_pymalloc_map_unlock() }
    _update(_existingLeaf(bits).unsafelyUnwrapped) { $0 & 0x0000_0000_FFFF_FFFF }
    if bits & UInt(_Layout.arenaMask) != 0 {
      _update(_existingLeaf(bits + UInt(_Layout.arenaSize)).unsafelyUnwrapped) { $0 & 0xFFFF_FFFF_0000_0000 }
    }
  }

  /// Rewrites one leaf word (under the map lock).
  private static func _update(_ leaf: UnsafeMutablePointer<UInt64>, _ change: (UInt64) -> UInt64) {
    sm_store_relaxed_u64(leaf, change(sm_load_relaxed_u64(leaf)))
  }

  /// The leaf of `address`'s slot, mapping the nodes on the way (under the map lock).
  private static func _leafCreatingNodes(_ address: UInt) -> UnsafeMutablePointer<UInt64>? {
    let rootIndex = _rootIndex(address)
    if sm_pymalloc_map_mid(rootIndex) == nil {
      guard let node = _MemoryMapping.map(interiorNodeBytes) else { return nil }
      sm_pymalloc_map_set_mid(rootIndex, node)
      sm_pymalloc_map_count_node(0)
    }
    let bottoms = sm_pymalloc_map_mid(rootIndex).unsafelyUnwrapped
      .assumingMemoryBound(to: UnsafeMutableRawPointer?.self) + _midIndex(address)
    if sm_load_acquire_pointer(bottoms) == nil {
      guard let node = _MemoryMapping.map(bottomNodeBytes) else { return nil }
      sm_store_release_pointer(bottoms, node)
      sm_pymalloc_map_count_node(1)
    }
    return sm_load_acquire_pointer(bottoms).unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)
      + _bottomIndex(address)
  }

  /// Mid nodes mapped so far in the process.
  internal static var midNodeCount: Int { sm_pymalloc_map_node_count(0) }

  /// Bottom nodes mapped so far in the process.
  internal static var bottomNodeCount: Int { sm_pymalloc_map_node_count(1) }

  /// Bytes of the map: the static root and the nodes mapped so far, as the report counts them.
  internal static var allocatedBytes: Int {
    interiorNodeBytes + midNodeCount * interiorNodeBytes + bottomNodeCount * bottomNodeBytes
  }
}
