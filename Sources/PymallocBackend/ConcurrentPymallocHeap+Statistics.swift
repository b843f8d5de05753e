//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CPymallocShim

/// Figures summed over every thread heap, taken under the shared lock; exact when no other thread allocates
/// meanwhile (then a snapshot).
extension ConcurrentPymallocHeap {
  /// The statistics of every thread heap, summed, in the shared shape; `extras` adds the thread heaps, how many are
  /// abandoned, and the arenas the process's shared source keeps.
  public func statistics() -> AllocatorStatistics {
    let (census, heaps, abandoned) = _summedCensus()
    var statistics = census.statistics(backend: name)
    statistics.extras["thread heaps"] = heaps
    statistics.extras["thread heaps abandoned"] = abandoned
    statistics.extras["arenas cached by the shared source"] = _SharedArenas.cachedCount
    return statistics
  }

  /// CPython's `sys._debugmallocstats()` report of every thread heap summed (the arena counters are sums too).
  public func statisticsReport() -> String {
    _summedCensus().census.report()
  }

  /// One report per thread heap, each headed `thread heap #N (thread 0x…|abandoned):`.
  public func threadStatisticsReports() -> [String] {
    sm_pymalloc_shared_lock()
    defer { sm_pymalloc_shared_unlock() }
    var reports: [String] = []
    _state._forEachHeap { heap in
      let thread = sm_load_acquire_word(heap._threadWord)
      let owner = thread == _RemoteFreeState.abandoned ? "abandoned" : "thread 0x" + String(thread, radix: 16)
      reports.append("thread heap #\(heap.pointee.heapID) (\(owner)):\n" + _HeapCensus(heap).report())
    }
    return reports
  }

  /// Live blocks of every thread heap (`sys.getallocatedblocks()`).
  public var allocatedBlocks: Int { _summedCensus().census.allocatedBlocks }

  /// Classifies `pointer` through the thread heap whose arena holds it, under the shared lock.
  public func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership {
    sm_pymalloc_shared_lock()
    defer { sm_pymalloc_shared_unlock() }
    let owner = _ArenaMap.owner(of: pointer)
    guard owner != 0 else { return .foreign }
    guard let heap = _state._heap(named: owner) else {
      return .anotherHeap(owner: "pymalloc heap #\(owner)", heap: "this pymalloc_mt heap")
    }
    return PymallocHeap(_state: heap, raw: raw).ownership(of: pointer)
  }

  /// The sum of the thread heaps' censuses, how many heaps there are, and how many are abandoned.
  internal func _summedCensus() -> (census: _HeapCensus, heaps: Int, abandoned: Int) {
    sm_pymalloc_shared_lock()
    defer { sm_pymalloc_shared_unlock() }
    var census = _HeapCensus()
    census.rawAllocatedBlocks -= Int(sm_load_relaxed_word(_state._rawFreesWithoutHeapWord))
    var heaps = 0
    var abandoned = 0
    _state._forEachHeap { heap in
      census.add(_HeapCensus(heap))
      heaps += 1
      if sm_load_acquire_word(heap._threadWord) == _RemoteFreeState.abandoned { abandoned += 1 }
    }
    return (census, heaps, abandoned)
  }
}
