//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads

/// One backend × workload measurement, as a bench child reports it and the JSON output carries it.
struct BenchRecord: Codable {
  var backend: String
  var workload: String
  /// N: the `--objects` of the run, or the scale step for `scale`.
  var objects: Int
  var unit: String
  /// Median over the timed rounds of one child; over the children, the median of theirs.
  var nanosecondsPerOperation: Double
  /// Every timed round, in order (of every child, child after child).
  var roundNanosecondsPerOperation: [Double]
  /// Each child's ns/op, when several ran (absent in a child's own record and in older documents).
  var processNanosecondsPerOperation: [Double]?
  var operations: Int
  /// Peak RSS of the child above its resident set before the workload, in bytes.
  var peakResidentBytes: Int
  /// RSS above the baseline after the workload freed its blocks (`phase`: right after its first frees).
  var retainedResidentBytes: Int
  /// ns/op divided by the baseline backend's ns/op for the same workload, N and threads (set by the parent).
  var ratio: Double?
  /// T, for a threaded workload (whose ns/op is wall time over all threads' operations).
  var threads: Int? = nil
  /// Whether the threads called the backend behind one mutex, since it is not thread-safe (threaded workloads).
  var locked: Bool? = nil
  /// All threads' operations per second (threaded workloads).
  var operationsPerSecond: Double? = nil
  /// ``operationsPerSecond`` per thread (threaded workloads).
  var operationsPerSecondPerThread: Double? = nil

  /// The backend as rows name it: `pymalloc (locked)` when the threads took turns behind a mutex.
  var label: String { locked == true ? "\(backend) (locked)" : backend }

  /// What identifies one measurement across children: backend, workload, N and threads.
  var key: String { "\(backend)|\(workload)|\(objects)|\(threads ?? 0)" }
}

/// The whole `bench --format json` document: enough to redraw the chart or compare with a later run.
struct BenchDocument: Codable {
  var machine: MachineInfo
  var command: String
  var baseline: String
  var rounds: Int
  /// Child processes per backend × workload (absent in documents from before there could be several).
  var processes: Int?
  /// The heap every child but the reference built before its workload (absent in documents from before it existed).
  var resident: ResidentProfile?
  var records: [BenchRecord]
}

extension BenchRecord {
  /// One record per backend × workload × N × threads out of the records of several children, in first-seen order: ns/op,
  /// peak and retained RSS are the medians over the children, since timings differ far more between processes
  /// (address layout) than between rounds in one.
  static func combiningProcesses(_ records: [BenchRecord]) -> [BenchRecord] {
    records.groupedInOrder(by: \.key).map { group in
      var combined = group.median(by: \.nanosecondsPerOperation)
      combined.roundNanosecondsPerOperation = group.flatMap(\.roundNanosecondsPerOperation)
      combined.processNanosecondsPerOperation = group.map(\.nanosecondsPerOperation)
      combined.peakResidentBytes = group.map(\.peakResidentBytes).median
      combined.retainedResidentBytes = group.map(\.retainedResidentBytes).median
      return combined
    }
  }
}
