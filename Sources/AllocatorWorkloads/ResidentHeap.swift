//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// A ``ResidentProfile`` built on an allocator and held live while the workloads run, until ``release()``.
///
/// Per row it allocates `in use + available` blocks of the row's size, one pool's worth after another — for
/// pymalloc exactly the row's pools, since CPython counts a pool's uncarved blocks as available. It keeps
/// ``ResidentProfile/SizeClassRow/liveBlocks(inPool:)`` blocks live at the start of each pool and frees the others:
/// the compact heap of a process that has mostly allocated since start-up, whose free blocks are its pools' tails.
public struct ResidentHeap<A: Allocator> {
  @usableFromInline let _allocator: A
  /// The blocks held live.
  public let blocks: [UnsafeMutableRawPointer]

  /// Builds `profile` on `allocator`; a block the allocator refuses is skipped.
  @inlinable
  public init(_ profile: ResidentProfile, on allocator: A) {
    _allocator = allocator
    var kept: [UnsafeMutableRawPointer] = []
    kept.reserveCapacity(profile.blocksInUse)
    for row in profile.rows {
      // Every block first, so that no free is reused before the row's pools are all carved.
      let blocks = (0..<row.pools * row.blocksPerPool).map { _ in allocator.allocate(byteCount: row.blockSize) }
      // Freed last to first, so that allocation resumes at the lowest free block of the first pool with one, as
      // carving would.
      for (index, block) in blocks.enumerated().reversed() {
        guard let block else { continue }
        block.storeBytes(of: 1, as: UInt8.self)
        if index % row.blocksPerPool < row.liveBlocks(inPool: index / row.blocksPerPool) {
          kept.append(block)
        } else {
          allocator.deallocate(block)
        }
      }
    }
    blocks = kept
  }

  /// Frees the blocks held live.
  @inlinable
  public func release() {
    for block in blocks { _allocator.deallocate(block) }
  }
}
