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
    _census().statistics(backend: name)
  }
}

extension _HeapCensus {
  /// The figures in the shared shape, for `backend`.
  internal func statistics(backend: String) -> AllocatorStatistics {
    AllocatorStatistics(
      backend: backend, liveBlocks: allocatedBlocks, allocatedBytes: allocatedBytes, liveRequestedBytes: nil,
      mappedBytes: arenaCount * _Layout.arenaSize + _ArenaMap.allocatedBytes, residentBytes: nil,
      extras: [
        "raw allocated blocks": rawAllocatedBlocks,
        "pools in use": usedPools,
        "pools purged": poolsPurged,
        "pools kept empty": keptEmptyPools,
        "arenas allocated total": arenasAllocatedTotal,
        "arenas reclaimed": arenasReclaimed,
        "arenas highwater mark": arenasHighWaterMark,
        "arenas allocated current": arenaCount,
        "bytes in allocated blocks": allocatedBytes,
        "bytes in available blocks": availableBytes,
        "unused pools": unusedPools,
        "bytes lost to pool headers": poolHeaderBytes,
        "bytes lost to quantization": quantizationBytes,
        "bytes lost to arena alignment": alignmentLossBytes,
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
