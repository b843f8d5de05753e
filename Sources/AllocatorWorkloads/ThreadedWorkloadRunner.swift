//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// Runs the threaded workloads on one allocator that `threads` threads call at once, with the spec's size mix.
///
/// The allocator must be thread-safe: a single-owner heap is shared behind a ``LockedAllocator`` (see
/// ``Allocator/withThreadSharing(handingHeapTo:_:)``). Each run starts `threads` threads (`pthread_create`) that
/// wait at a start barrier; the time runs from the barrier to the join of the last. For N = `objects`:
///
/// - `threads-local`: each thread fills ``liveSlotsPerThread`` slots, makes ``localStepsPerThread`` steps of
///   `churn` (free a slot picked by its generator, allocate into it) and frees the rest; every free is local.
/// - `threads-remote`: ``remoteProducers`` threads allocate ``remoteBlocks`` blocks in all (N/2), in batches of 128
///   handed through a
///   lock-protected queue to the other threads, which free them; at T = 1 the one thread plays both parts, filling
///   a batch, queueing it, taking it back and freeing it, so no free crosses threads.
/// - `threads-larson`: as in Larson's server benchmark, each thread fills a slot array of ``liveSlotsPerThread``
///   slots, then ``larsonRounds`` times churns it for as many steps as it has slots and hands it to the next thread
///   (a ring), taking the previous thread's; at the end it frees the array it holds. From T = 2 on, most frees are
///   of blocks another thread allocated; at T = 1 the array comes back to its own thread.
///
/// Every block gets one byte written, as in the single-threaded workloads; a checking run writes a pattern instead,
/// which whichever thread frees the block verifies, and counts the frees that cross threads.
public struct ThreadedWorkloadRunner<A: Allocator> {
  /// The allocator the threads share.
  public let allocator: A
  /// N.
  public let objects: Int
  /// T, the threads of each run.
  public let threads: Int
  @usableFromInline
  internal let _tables: _ThreadedTables

  /// Draws N sizes and makes every table the workloads use resident, before any timing.
  ///
  /// - Precondition: `objects` and `threads` are at least 1.
  @inlinable
  public init(allocator: A, objects: Int, threads: Int) {
    precondition(objects >= 1 && threads >= 1, "a threaded workload needs N, T ≥ 1, got \(objects), \(threads)")
    self.allocator = allocator
    self.objects = objects
    self.threads = threads
    _tables = _ThreadedTables(
      sizes: SizeMix.sizes(count: objects), threads: threads, liveSlots: max(1, objects / (10 * threads)))
  }

  /// Live slots per thread in `threads-local` and `threads-larson`: N/10 in all.
  @inlinable
  public var liveSlotsPerThread: Int { max(1, objects / (10 * threads)) }

  /// `churn` steps per thread in `threads-local`: N/2 in all.
  @inlinable
  public var localStepsPerThread: Int { objects / (2 * threads) }

  /// Rounds of `threads-larson`, each followed by a hand-over.
  @inlinable
  public var larsonRounds: Int { 5 }

  /// The blocks `threads-remote` allocates and frees, N/2 in all.
  @inlinable
  public var remoteBlocks: Int { max(1, objects / 2) }

  /// The producers of `threads-remote`: half the threads, rounded up (the one thread at T = 1).
  @inlinable
  public var remoteProducers: Int { (threads + 1) / 2 }

  /// Runs `workload` once on `threads` threads.
  ///
  /// - Parameters:
  ///   - workload: A threaded workload.
  ///   - checking: Whether to fill every block with a pattern, verify it before its free and count cross-thread
  ///     frees (for tests; slower).
  @inlinable
  public func run(_ workload: Workload, checking: Bool = false) -> ThreadedWorkloadMeasurement {
    precondition(workload.isThreaded, "\(workload.rawValue) is not a threaded workload: use WorkloadRunner")
    return checking ? _run(workload, touching: _PatternTouch.self) : _run(workload, touching: _ByteTouch.self)
  }

  @inlinable
  internal func _run<Touch: _BlockTouch>(_ workload: Workload, touching: Touch.Type) -> ThreadedWorkloadMeasurement {
    _tables.resetCounters()
    let nanoseconds: UInt64
    switch workload {
    case .threadsRemote: nanoseconds = _runRemote(touching: Touch.self)
    case .threadsLarson: nanoseconds = _runLarson(touching: Touch.self)
    default: nanoseconds = _runLocal(touching: Touch.self)
    }
    let counters = _tables.workerCounters
    let operations = counters.map(\.operations)
    let checking = Touch.self == _PatternTouch.self
    return ThreadedWorkloadMeasurement(
      measurement: WorkloadMeasurement(operations: operations.reduce(0, +), nanoseconds: nanoseconds),
      operationsPerThread: operations,
      crossThreadFrees: checking ? counters.map(\.crossThreadFrees).reduce(0, +) : nil,
      damagedBlocks: checking ? counters.map(\.damagedBlocks).reduce(0, +) : nil)
  }

  /// Worker `worker`'s view of `allocator`, its sizes and counters.
  @inlinable
  internal func _heap<Touch: _BlockTouch>(_ allocator: A, worker: Int, touching: Touch.Type) -> _WorkerHeap<A, Touch> {
    _WorkerHeap(
      allocator: allocator, worker: worker, of: threads, sizes: _tables.sizes, counters: _tables.counters + worker)
  }

  /// Slot array `array`, worker `array`'s at the start (`threads-larson` hands them on).
  @inlinable
  internal func _slotArray(_ array: Int) -> _SlotChurn {
    _SlotChurn(slots: _tables.slots + array * liveSlotsPerThread, count: liveSlotsPerThread)
  }

  /// Worker `worker`'s generator, a seed of its own.
  @inlinable
  internal static func _generator(worker: Int) -> XorShift64 {
    XorShift64(seed: XorShift64.specSeed ^ UInt64(worker + 1) << 40)
  }
}
