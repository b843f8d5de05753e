//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads
import Foundation

/// One backend's replay figures.
struct ReplayRecord: Codable {
  var backend: String
  var trace: String
  var operations: Int
  /// The median of the timed (one-byte-write) replays; over several children, the median of theirs.
  var nanosecondsPerOperation: Double
  var roundNanosecondsPerOperation: [Double]
  /// The verifying replay, pattern fill and check included.
  var verifiedNanosecondsPerOperation: Double
  var peakResidentBytes: Int
  var peakLiveBytes: Int
  var overhead: Double
  var unknownAddresses: Int
  var unparsableLines: Int
  var failedOperations: Int
  var corruptedOperations: [Int]

  static func table(_ records: [ReplayRecord], trace: String, resident: ResidentProfile) -> String {
    var lines = ["replay of \(trace)", ""]
    let header = [
      "backend", "ops", "ns/op", "verified ns/op", "peak RSS", "peak live", "overhead", "unknown", "unparsable",
      "corrupt",
    ]
    let rows = records.map { record in
      [
        record.backend, "\(record.operations)", String(format: "%.1f", record.nanosecondsPerOperation),
        String(format: "%.1f", record.verifiedNanosecondsPerOperation),
        BenchTable.megabytes(record.peakResidentBytes), BenchTable.megabytes(record.peakLiveBytes),
        String(format: "%.2f", record.overhead), "\(record.unknownAddresses)", "\(record.unparsableLines)",
        record.corruptedOperations.isEmpty ? "0" : "\(record.corruptedOperations.count) at op \(record.corruptedOperations[0])",
      ]
    }
    lines += BenchTable.alignedLines([header] + rows)
    return (lines + ["", BenchTable.residentSummary(resident)]).joined(separator: "\n") + "\n"
  }

  static func csv(_ records: [ReplayRecord]) -> String {
    let header =
      "backend,trace,operations,ns_per_op,verified_ns_per_op,peak_rss_bytes,peak_live_bytes,overhead,unknown,unparsable,corrupted"
    return ([header] + records.map { record in
      [
        record.backend, record.trace, "\(record.operations)", String(format: "%.3f", record.nanosecondsPerOperation),
        String(format: "%.3f", record.verifiedNanosecondsPerOperation),
        "\(record.peakResidentBytes)", "\(record.peakLiveBytes)", String(format: "%.4f", record.overhead),
        "\(record.unknownAddresses)", "\(record.unparsableLines)", "\(record.corruptedOperations.count)",
      ].joined(separator: ",")
    }).joined(separator: "\n") + "\n"
  }
}

extension ReplayRecord {
  /// Peak RSS over peak live requested bytes; 0 for a log that never holds a byte.
  static func overhead(peakResidentBytes: Int, peakLiveBytes: Int) -> Double {
    peakLiveBytes > 0 ? Double(peakResidentBytes) / Double(peakLiveBytes) : 0
  }

  /// One record per backend out of the records of several children, in first-seen order: ns/op, the verifying
  /// replay's time and peak RSS are the medians over the children; a corruption any child found is kept.
  static func combiningProcesses(_ records: [ReplayRecord]) -> [ReplayRecord] {
    records.groupedInOrder(by: \.backend).map { group in
      var combined = group.median(by: \.nanosecondsPerOperation)
      combined.roundNanosecondsPerOperation = group.flatMap(\.roundNanosecondsPerOperation)
      combined.verifiedNanosecondsPerOperation = group.map(\.verifiedNanosecondsPerOperation).median
      combined.peakResidentBytes = group.map(\.peakResidentBytes).median
      combined.overhead = overhead(peakResidentBytes: combined.peakResidentBytes, peakLiveBytes: combined.peakLiveBytes)
      combined.failedOperations = group.map(\.failedOperations).max() ?? 0
      combined.corruptedOperations = group.first { !$0.corruptedOperations.isEmpty }?.corruptedOperations ?? []
      return combined
    }
  }
}
