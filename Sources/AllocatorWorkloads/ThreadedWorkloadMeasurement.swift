//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One timed run of a threaded workload: from the start barrier to the join of the last thread.
public struct ThreadedWorkloadMeasurement: Sendable {
  /// The operations of every thread and the wall time; its ns/op is wall time over all threads' operations.
  public var measurement: WorkloadMeasurement
  /// Each worker's allocations and frees, in worker order; they add up to the measurement's operations.
  public var operationsPerThread: [Int]
  /// Frees of a block another thread allocated; `nil` unless the run was checking.
  public var crossThreadFrees: Int?
  /// Blocks whose pattern was damaged when they were freed; `nil` unless the run was checking.
  public var damagedBlocks: Int?

  /// A measurement.
  public init(
    measurement: WorkloadMeasurement, operationsPerThread: [Int], crossThreadFrees: Int? = nil,
    damagedBlocks: Int? = nil
  ) {
    self.measurement = measurement
    self.operationsPerThread = operationsPerThread
    self.crossThreadFrees = crossThreadFrees
    self.damagedBlocks = damagedBlocks
  }

  /// The threads that ran.
  public var threads: Int { operationsPerThread.count }

  /// All threads' operations per second of wall time.
  public var operationsPerSecond: Double {
    measurement.nanoseconds == 0 ? 0 : Double(measurement.operations) * 1e9 / Double(measurement.nanoseconds)
  }

  /// ``operationsPerSecond`` per thread.
  public var operationsPerSecondPerThread: Double { operationsPerSecond / Double(max(1, threads)) }
}
