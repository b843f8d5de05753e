//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// A ``ResidentProfile`` built on an allocator and held live while the workloads run, until ``release()``.
///
/// Per row it allocates `in use + available` blocks of the row's size — for pymalloc exactly the row's pools, since
/// CPython counts a pool's uncarved blocks as available — then frees `available` of them spread evenly, so each pool
/// keeps free blocks between live ones, as an interpreter's pools do.
public struct ResidentHeap<A: Allocator> {
  @usableFromInline let _allocator: A
  @usableFromInline let _blocks: [UnsafeMutableRawPointer]

  /// Builds `profile` on `allocator`; a block the allocator refuses is skipped.
  @inlinable
  public init(_ profile: ResidentProfile, on allocator: A) {
    _allocator = allocator
    var kept: [UnsafeMutableRawPointer] = []
    kept.reserveCapacity(profile.blocksInUse)
    for row in profile.rows {
      let total = row.blocksInUse + row.availableBlocks
      let blocks = (0..<total).compactMap { _ in allocator.allocate(byteCount: row.blockSize) }
      for (index, block) in blocks.enumerated() {
        block.storeBytes(of: 1, as: UInt8.self)
        let freesHere = (index + 1) * row.availableBlocks / total > index * row.availableBlocks / total
        if freesHere { allocator.deallocate(block) } else { kept.append(block) }
      }
    }
    _blocks = kept
  }

  /// Blocks held live.
  @inlinable
  public var count: Int { _blocks.count }

  /// Frees the blocks held live.
  @inlinable
  public func release() {
    for block in _blocks { _allocator.deallocate(block) }
  }
}
