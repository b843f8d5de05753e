//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One walk over every carved pool of a heap, and its counters: the numbers behind the statistics and the report.
/// Censuses add up, so a concurrent heap reports the sum over its thread heaps.
internal struct _HeapCensus {
  /// Per size class: non-empty pools, allocated blocks, available blocks in those pools.
  internal var poolsByClass = [Int](repeating: 0, count: _Layout.sizeClassCount)
  internal var blocksByClass = [Int](repeating: 0, count: _Layout.sizeClassCount)
  internal var freeBlocksByClass = [Int](repeating: 0, count: _Layout.sizeClassCount)
  /// Attached arenas.
  internal var arenaCount = 0
  /// Σ free pools of the attached arenas, kept empty pools included.
  internal var unusedPools = 0
  /// Arenas whose base is not pool-aligned.
  internal var unalignedArenas = 0
  /// Live blocks the entry points handed to the raw allocator.
  internal var rawAllocatedBlocks = 0
  /// Arenas ever obtained, and the most attached at one time (summed over heaps: an upper bound).
  internal var arenasAllocatedTotal = 0
  internal var arenasHighWaterMark = 0
  /// Pools purged over the heap's life, and the kept empty pools now.
  internal var poolsPurged = 0
  internal var keptEmptyPools = 0

  /// A census of nothing: the sum's start.
  internal init() {}

  /// Walks the arenas of the heap at `heap`.
  internal init(_ heap: _HeapStatePointer) {
    let state = heap.pointee
    rawAllocatedBlocks = state.rawAllocatedBlocks
    arenasAllocatedTotal = state.arenasAllocatedTotal
    arenasHighWaterMark = state.arenasHighWaterMark
    poolsPurged = state.poolsPurged
    keptEmptyPools = heap._keptEmptyPools.count
    unusedPools = keptEmptyPools
    for arena in state.attachedArenas {
      arenaCount += 1
      unusedPools += arena.pointee.freePoolCount
      if arena._isUnaligned { unalignedArenas += 1 }
      for index in 0..<arena._carvedPoolCount where !arena._isPurged(poolAt: index) {
        let header = arena._pool(at: index).pointee
        guard header.count > 0 else { continue }
        let sizeIndex = Int(header.sizeIndex)
        poolsByClass[sizeIndex] += 1
        blocksByClass[sizeIndex] += Int(header.count)
        freeBlocksByClass[sizeIndex] += _SizeClass.blocksPerPool(ofIndex: sizeIndex) - Int(header.count)
      }
    }
  }

  /// Adds another heap's census to this one.
  internal mutating func add(_ other: _HeapCensus) {
    for sizeIndex in 0..<_Layout.sizeClassCount {
      poolsByClass[sizeIndex] += other.poolsByClass[sizeIndex]
      blocksByClass[sizeIndex] += other.blocksByClass[sizeIndex]
      freeBlocksByClass[sizeIndex] += other.freeBlocksByClass[sizeIndex]
    }
    arenaCount += other.arenaCount
    unusedPools += other.unusedPools
    unalignedArenas += other.unalignedArenas
    rawAllocatedBlocks += other.rawAllocatedBlocks
    arenasAllocatedTotal += other.arenasAllocatedTotal
    arenasHighWaterMark += other.arenasHighWaterMark
    poolsPurged += other.poolsPurged
    keptEmptyPools += other.keptEmptyPools
  }

  /// Arenas given back over the heap's life.
  internal var arenasReclaimed: Int { arenasAllocatedTotal - arenaCount }

  /// Pools holding at least one block.
  internal var usedPools: Int { poolsByClass.reduce(0, +) }

  /// `sys.getallocatedblocks()`: raw blocks plus allocated pool blocks.
  internal var allocatedBlocks: Int { rawAllocatedBlocks + blocksByClass.reduce(0, +) }

  /// Bytes in allocated pool blocks.
  internal var allocatedBytes: Int {
    (0..<_Layout.sizeClassCount).reduce(0) { $0 + blocksByClass[$1] * _SizeClass.blockSize(ofIndex: $1) }
  }

  /// Bytes in available blocks of non-empty pools.
  internal var availableBytes: Int {
    (0..<_Layout.sizeClassCount).reduce(0) { $0 + freeBlocksByClass[$1] * _SizeClass.blockSize(ofIndex: $1) }
  }

  /// Bytes of pool headers of non-empty pools.
  internal var poolHeaderBytes: Int { usedPools * _Layout.poolOverhead }

  /// Bytes at the end of non-empty pools that no block fits in.
  internal var quantizationBytes: Int {
    (0..<_Layout.sizeClassCount).reduce(0) { $0 + poolsByClass[$1] * _SizeClass.quantizationLoss(ofIndex: $1) }
  }

  /// One pool per unaligned arena.
  internal var alignmentLossBytes: Int { unalignedArenas * _Layout.poolSize }

  /// Bytes of unused pools.
  internal var unusedPoolBytes: Int { unusedPools * _Layout.poolSize }

  /// The sum of the breakdown; equals `arenaCount × 1 MiB` when the bookkeeping is right.
  internal var breakdownTotal: Int {
    allocatedBytes + availableBytes + unusedPoolBytes + poolHeaderBytes + quantizationBytes + alignmentLossBytes
  }
}

extension PymallocHeap {
  /// Walks the heap's arenas.
  internal func _census() -> _HeapCensus {
    _HeapCensus(_state)
  }
}
