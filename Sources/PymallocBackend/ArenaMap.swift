//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// One slot of the arena map: which part of an ideal (1 MiB-aligned) arena slot belongs to pymalloc.
///
/// An arena at base `B` with `tail = B & (ARENA_SIZE − 1)` covers the top of B's slot from `tail` up, and the
/// bottom of the next slot below `tail`. So an address with in-slot offset `t` is owned exactly when
/// `t < tailLow || (tailHigh != 0 && t >= tailHigh)`; an aligned arena stores `tailHigh = −1`, which every
/// offset passes.
@usableFromInline
internal struct _ArenaMapLeaf {
  /// Offset from which the slot's upper part belongs to an arena starting in this slot; −1 for an aligned
  /// arena; 0 when none starts here.
  @usableFromInline
  internal var tailHigh: Int32
  /// Offset below which the slot belongs to the arena that started in the previous slot; 0 when none.
  @usableFromInline
  internal var tailLow: Int32
}

/// A bottom node: 2^14 leaves (128 KiB).
@usableFromInline
internal typealias _ArenaMapBottom = UnsafeMutablePointer<_ArenaMapLeaf>

/// A mid node: 2^15 pointers to bottom nodes (256 KiB).
@usableFromInline
internal typealias _ArenaMapMid = UnsafeMutablePointer<_ArenaMapBottom?>

/// The exact answer to "does pymalloc own this address?": a three-level radix tree over the 44 bits of the
/// ideal arena number `address >> 20`.
///
///     bits 63 … 49   root index   (15 bits, 2^15 mid pointers   = 256 KiB, allocated at the first arena)
///     bits 48 … 34   mid index    (15 bits, 2^15 bottom pointers = 256 KiB per mid node)
///     bits 33 … 20   bottom index (14 bits, 2^14 leaves of 8 B   = 128 KiB per bottom node)
///     bits 19 … 0    offset inside the ideal arena slot, compared with the leaf's tails
///
/// Nodes are zero-allocated with the raw allocator on demand and never freed before the heap is destroyed.
/// A lookup never creates nodes and never reads memory outside the tree, so foreign pointers are safe to ask
/// about.
@usableFromInline
internal struct _ArenaMap {
  /// Bits of the root and mid indices.
  @usableFromInline
  internal static let interiorBits = 15
  /// Bits of the bottom index.
  @usableFromInline
  internal static let bottomBits = 14
  /// Entries of the root and of each mid node.
  @usableFromInline
  internal static let interiorLength = 1 << interiorBits
  /// Leaves of each bottom node.
  @usableFromInline
  internal static let bottomLength = 1 << bottomBits
  /// Bytes of the root (and of each mid node).
  internal static let interiorNodeBytes = interiorLength * MemoryLayout<_ArenaMapMid?>.stride
  /// Bytes of each bottom node.
  internal static let bottomNodeBytes = bottomLength * MemoryLayout<_ArenaMapLeaf>.stride

  /// The root, allocated with the first arena; `nil` before.
  @usableFromInline
  internal var root: UnsafeMutablePointer<_ArenaMapMid?>?
  /// `root[0]`: the mid node of every address below 2^49, which is all of user space on 64-bit Linux. Lookups take
  /// it from here and never read the root, whose first entry sits 16 bytes into a page (behind the raw
  /// allocator's chunk header), in the one L1 set that every pool header also maps to.
  @usableFromInline
  internal var lowMid: _ArenaMapMid?
  /// Mid nodes allocated so far.
  @usableFromInline
  internal var midNodeCount: Int
  /// Bottom nodes allocated so far.
  @usableFromInline
  internal var bottomNodeCount: Int

  /// An empty map; nothing is allocated until the first arena is marked.
  @inlinable
  internal init() {
    root = nil
    lowMid = nil
    midNodeCount = 0
    bottomNodeCount = 0
  }

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

  /// The leaf of `address`'s ideal arena slot, or `nil` when its nodes do not exist (then nothing there is
  /// owned).
  @inlinable
  @inline(__always)
  internal func _existingLeaf(_ address: UInt) -> _ArenaMapBottom? {
    let rootIndex = Self._rootIndex(address)
    guard let mid = rootIndex == 0 ? lowMid : root?[rootIndex], let bottom = mid[Self._midIndex(address)] else {
      return nil
    }
    return bottom + Self._bottomIndex(address)
  }

  /// Whether `address` lies inside an arena of this heap.
  @inlinable
  @inline(__always)
  internal func contains(_ address: UnsafeRawPointer) -> Bool {
    let bits = UInt(bitPattern: address)
    guard let leaf = _existingLeaf(bits) else { return false }
    let offset = Int32(truncatingIfNeeded: bits & UInt(_Layout.arenaMask))
    let tails = leaf.pointee
    return offset < tails.tailLow || (tails.tailHigh != 0 && offset >= tails.tailHigh)
  }

  /// The base of the arena that contains `address`, computed from the tails alone; `nil` when none does.
  @inlinable
  internal func arenaBase(containing address: UnsafeRawPointer) -> UInt? {
    let bits = UInt(bitPattern: address)
    guard let leaf = _existingLeaf(bits) else { return nil }
    let offset = Int32(truncatingIfNeeded: bits & UInt(_Layout.arenaMask))
    let slot = bits & ~UInt(_Layout.arenaMask)
    let tails = leaf.pointee
    if offset < tails.tailLow {
      // Safe: a tailLow mark is only written in the slot after an arena's base slot.
      return slot - UInt(_Layout.arenaSize) + UInt(tails.tailLow)
    }
    if tails.tailHigh == -1 { return slot }
    if tails.tailHigh != 0 && offset >= tails.tailHigh { return slot + UInt(tails.tailHigh) }
    return nil
  }

  /// The leaf of `address`'s slot, creating the nodes on the way with `raw`'s zeroed allocation.
  internal mutating func _leafCreatingNodes(_ address: UInt, raw: some Allocator) -> _ArenaMapBottom? {
    if root == nil {
      guard let memory = raw.allocateZeroed(count: Self.interiorLength, stride: MemoryLayout<_ArenaMapMid?>.stride)
      else { return nil }
      root = memory.bindMemory(to: _ArenaMapMid?.self, capacity: Self.interiorLength)
    }
    let root = root.unsafelyUnwrapped
    let rootIndex = Self._rootIndex(address)
    if root[rootIndex] == nil {
      guard
        let memory = raw.allocateZeroed(count: Self.interiorLength, stride: MemoryLayout<_ArenaMapBottom?>.stride)
      else { return nil }
      root[rootIndex] = memory.bindMemory(to: _ArenaMapBottom?.self, capacity: Self.interiorLength)
      if rootIndex == 0 { lowMid = root[0] }
      midNodeCount += 1
    }
    let mid = root[rootIndex].unsafelyUnwrapped
    let midIndex = Self._midIndex(address)
    if mid[midIndex] == nil {
      guard let memory = raw.allocateZeroed(count: Self.bottomLength, stride: MemoryLayout<_ArenaMapLeaf>.stride)
      else { return nil }
      mid[midIndex] = memory.bindMemory(to: _ArenaMapLeaf.self, capacity: Self.bottomLength)
      bottomNodeCount += 1
    }
    return mid[midIndex].unsafelyUnwrapped + Self._bottomIndex(address)
  }

  /// Records the arena at `base` as owned.
  ///
  /// - Returns: `false`, with nothing marked, when a node cannot be allocated or the arena would wrap around
  ///   the address space.
  internal mutating func mark(arenaAt base: UnsafeMutableRawPointer, raw: some Allocator) -> Bool {
    let bits = UInt(bitPattern: base)
    let tail = bits & UInt(_Layout.arenaMask)
    if tail == 0 {
      guard let leaf = _leafCreatingNodes(bits, raw: raw) else { return false }
      leaf.pointee.tailHigh = -1
      return true
    }
    let (end, overflow) = bits.addingReportingOverflow(UInt(_Layout.arenaSize))
    guard !overflow, let low = _leafCreatingNodes(bits, raw: raw), let high = _leafCreatingNodes(end, raw: raw)
    else { return false }
    low.pointee.tailHigh = Int32(truncatingIfNeeded: tail)
    high.pointee.tailLow = Int32(truncatingIfNeeded: tail)
    return true
  }

  /// Forgets the arena at `base`; the nodes stay.
  internal mutating func unmark(arenaAt base: UnsafeMutableRawPointer) {
    let bits = UInt(bitPattern: base)
    _existingLeaf(bits).unsafelyUnwrapped.pointee.tailHigh = 0
    if bits & UInt(_Layout.arenaMask) != 0 {
      _existingLeaf(bits + UInt(_Layout.arenaSize)).unsafelyUnwrapped.pointee.tailLow = 0
    }
  }

  /// Bytes held by the nodes that exist.
  internal var allocatedBytes: Int {
    (root == nil ? 0 : Self.interiorNodeBytes) + midNodeCount * Self.interiorNodeBytes
      + bottomNodeCount * Self.bottomNodeBytes
  }

  /// Frees every node with `raw`; the map is empty afterwards.
  internal mutating func releaseNodes(raw: some Allocator) {
    guard let root else { return }
    for rootIndex in 0..<Self.interiorLength {
      guard let mid = root[rootIndex] else { continue }
      for midIndex in 0..<Self.interiorLength {
        if let bottom = mid[midIndex] { raw.deallocate(UnsafeMutableRawPointer(bottom)) }
      }
      raw.deallocate(UnsafeMutableRawPointer(mid))
    }
    raw.deallocate(UnsafeMutableRawPointer(root))
    self = _ArenaMap()
  }
}
