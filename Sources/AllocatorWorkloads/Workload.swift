//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The benchmark spec's workloads. Each is a generic function specialized per allocator: no existential, no lookup
/// per call. "op" is one allocation, one free or one reallocation, except `pair` (one malloc + free pair).
public enum Workload: String, CaseIterable, Codable, Sendable {
  /// `p = malloc(size[i]); write 1 byte; free(p)` for every i.
  case pair
  /// 3 rounds of: allocate N blocks (1 byte written each), free them all in one fixed shuffled order.
  case batch
  /// N/10 live slots; 4N steps of: free a slot picked by the generator, allocate `size[i mod N]` into it.
  case churn
  /// N/64 times: grow a block by reallocation from 8 to 512 bytes in steps of 8, then free it.
  case realloc
  /// Allocate N; free every block over 64 bytes (retained RSS measured here); allocate N/2 of ≤ 64 bytes; free all.
  case phase
  /// `churn` at N = 10⁴, 10⁵, 10⁶, 10⁷ live-slot scales (see ``WorkloadRunner/scaleSteps(objects:)``).
  case scale
  /// T threads, each churning slots of its own: every free is local (``ThreadedWorkloadRunner``).
  case threadsLocal = "threads-local"
  /// Producer threads allocate, consumer threads free, batches handed over through a queue.
  case threadsRemote = "threads-remote"
  /// Larson's server benchmark: threads churn slot arrays that move on to the next thread every round.
  case threadsLarson = "threads-larson"

  /// Whether the workload runs on several threads (``ThreadedWorkloadRunner``) rather than ``WorkloadRunner``.
  public var isThreaded: Bool {
    switch self {
    case .threadsLocal, .threadsRemote, .threadsLarson: true
    default: false
    }
  }

  /// What one op means in the report.
  public var unit: String {
    switch self {
    case .pair: "ns/pair"
    case .realloc: "ns/realloc"
    default: "ns/op"
    }
  }
}

extension Workload {
  /// The most blocks the workload holds at once with `objects` objects: the slots of ``WorkloadRunner``'s block
  /// table (none for the threaded workloads, whose tables ``ThreadedWorkloadRunner`` holds).
  @inlinable
  public func liveBlockCapacity(objects: Int) -> Int {
    switch self {
    case .pair, .realloc, .threadsLocal, .threadsRemote, .threadsLarson: 0
    case .batch: objects
    case .churn, .scale: max(1, objects / 10)
    case .phase: objects + objects / 2
    }
  }
}

/// One timed run of a workload.
public struct WorkloadMeasurement: Codable, Sendable {
  /// Operations performed (pairs for `pair`, reallocations for `realloc`).
  public var operations: Int
  /// Wall time in nanoseconds.
  public var nanoseconds: UInt64
  /// RSS after the frees of the `phase` workload, in bytes (nil for the others).
  public var retainedResidentBytes: Int?

  /// A measurement.
  @inlinable
  public init(operations: Int, nanoseconds: UInt64, retainedResidentBytes: Int? = nil) {
    self.operations = operations
    self.nanoseconds = nanoseconds
    self.retainedResidentBytes = retainedResidentBytes
  }

  /// ns per operation.
  public var nanosecondsPerOperation: Double { operations == 0 ? 0 : Double(nanoseconds) / Double(operations) }
}
