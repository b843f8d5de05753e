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
  /// Median over the timed rounds.
  var nanosecondsPerOperation: Double
  /// Every timed round, in order.
  var roundNanosecondsPerOperation: [Double]
  var operations: Int
  /// Peak RSS of the child above its resident set before the workload, in bytes.
  var peakResidentBytes: Int
  /// RSS above the baseline after the workload freed its blocks (`phase`: right after its first frees).
  var retainedResidentBytes: Int
  /// ns/op divided by the baseline backend's ns/op for the same workload and N (set by the parent).
  var ratio: Double?
}

/// The whole `bench --format json` document: enough to redraw the chart or compare with a later run.
struct BenchDocument: Codable {
  var machine: MachineInfo
  var command: String
  var baseline: String
  var rounds: Int
  /// The heap every child but the reference built before its workload (absent in documents from before it existed).
  var resident: ResidentProfile?
  var records: [BenchRecord]
}
