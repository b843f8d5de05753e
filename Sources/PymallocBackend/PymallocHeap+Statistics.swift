//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension PymallocHeap {
  /// The report's numbers in the shared shape.
  ///
  /// `liveBlocks` is ``allocatedBlocks`` (raw blocks included); `allocatedBytes` counts pool blocks at their
  /// block size; `mappedBytes` is the arenas plus the process-wide arena map's nodes. Reading the figures changes
  /// nothing in the heap. `extras` holds the report's counters
  /// under its labels (without the leading `# `).
  public func statistics() -> AllocatorStatistics {
    let census = _census()
    let state = _state.pointee
    return AllocatorStatistics(
      backend: name, liveBlocks: census.allocatedBlocks, allocatedBytes: census.allocatedBytes,
      liveRequestedBytes: nil,
      mappedBytes: census.arenaCount * _Layout.arenaSize + _ArenaMap.allocatedBytes, residentBytes: nil,
      extras: [
        "raw allocated blocks": census.rawAllocatedBlocks,
        "pools in use": census.usedPools,
        "pools purged": state.poolsPurged,
        "pools kept empty": _state._keptEmptyPools.count,
        "arenas allocated total": state.arenasAllocatedTotal,
        "arenas reclaimed": state.arenasAllocatedTotal - state.arenasCurrentlyAllocated,
        "arenas highwater mark": state.arenasHighWaterMark,
        "arenas allocated current": census.arenaCount,
        "bytes in allocated blocks": census.allocatedBytes,
        "bytes in available blocks": census.availableBytes,
        "unused pools": census.unusedPools,
        "bytes lost to pool headers": census.poolHeaderBytes,
        "bytes lost to quantization": census.quantizationBytes,
        "bytes lost to arena alignment": census.alignmentLossBytes,
        "arena map mid nodes": _ArenaMap.midNodeCount,
        "arena map bot nodes": _ArenaMap.bottomNodeCount,
      ])
  }
}

extension PymallocHeap {
  /// Live blocks: raw blocks handed out by this heap plus allocated pool blocks (`sys.getallocatedblocks()`).
  ///
  /// - Complexity: O(carved pools), as CPython walks its arenas since 3.9.
  public var allocatedBlocks: Int { _census().allocatedBlocks }
}
