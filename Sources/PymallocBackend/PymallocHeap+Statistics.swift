//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension PymallocHeap {
  /// The report's numbers in the shared shape.
  ///
  /// `liveBlocks` is ``allocatedBlocks`` (raw blocks included); `allocatedBytes` counts pool blocks at their
  /// block size; `mappedBytes` is the arenas plus the arena map's nodes. `extras` holds the report's counters
  /// under its labels (without the leading `# `).
  public func statistics() -> AllocatorStatistics {
    _returnCachedBlocks()
    let census = _census()
    let state = _state.pointee
    return AllocatorStatistics(
      backend: name, liveBlocks: census.allocatedBlocks, allocatedBytes: census.allocatedBytes,
      liveRequestedBytes: nil,
      mappedBytes: census.arenaCount * _Layout.arenaSize + state.arenaMap.allocatedBytes, residentBytes: nil,
      extras: [
        "raw allocated blocks": census.rawAllocatedBlocks,
        "pools in use": census.usedPools,
        "pools purged": state.poolsPurged,
        "pools kept empty": state.keptEmptyPools.count,
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
        "arena map mid nodes": state.arenaMap.midNodeCount,
        "arena map bot nodes": state.arenaMap.bottomNodeCount,
      ])
  }
}
