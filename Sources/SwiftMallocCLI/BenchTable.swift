//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads
import Foundation

/// Renders bench results as a table, CSV or JSON.
enum BenchTable {
  /// Sets each record's ratio to its ns/op over the baseline's for the same workload and N.
  static func withRatios(_ records: [BenchRecord], baseline: String) -> [BenchRecord] {
    records.map { record in
      var record = record
      if let reference = records.first(where: {
        $0.backend == baseline && $0.workload == record.workload && $0.objects == record.objects
      }), reference.nanosecondsPerOperation > 0 {
        record.ratio = record.nanosecondsPerOperation / reference.nanosecondsPerOperation
      }
      return record
    }
  }

  /// Rows grouped by workload and N, one line per backend.
  static func table(_ document: BenchDocument) -> String {
    let header = ["workload", "N", "backend", "ns/op", "ratio", "peak RSS", "retained RSS"]
    let rows = sorted(document.records).map { record in
      [
        record.workload, "\(record.objects)", record.backend, String(format: "%.2f", record.nanosecondsPerOperation),
        record.ratio.map { String(format: "%.2f×", $0) } ?? "-", megabytes(record.peakResidentBytes),
        megabytes(record.retainedResidentBytes),
      ]
    }
    let lines = alignedLines([header] + rows, rightAlignedFrom: 3)
    let footer = "baseline \(document.baseline); \(document.machine.cpuModel), \(document.machine.cores) cores; "
      + medianSummary(document) + "; " + residentSummary(document.resident)
    return (lines + ["", footer]).joined(separator: "\n") + "\n"
  }

  /// One CSV line per record.
  static func csv(_ document: BenchDocument) -> String {
    let header = "workload,objects,backend,unit,ns_per_op,ratio,peak_rss_bytes,retained_rss_bytes"
    let lines = sorted(document.records).map { record in
      [
        record.workload, "\(record.objects)", record.backend, record.unit,
        String(format: "%.3f", record.nanosecondsPerOperation), record.ratio.map { String(format: "%.4f", $0) } ?? "",
        "\(record.peakResidentBytes)", "\(record.retainedResidentBytes)",
      ].joined(separator: ",")
    }
    return ([header] + lines).joined(separator: "\n") + "\n"
  }

  /// A Markdown table: one row per workload and N, ns/op per backend with its ratio to the baseline.
  static func markdown(_ document: BenchDocument) -> String {
    let backends = document.records.map(\.backend).uniqued()
    let groups = sorted(document.records).map { "\($0.workload)|\($0.objects)" }.uniqued()
    var lines = [
      "| workload | N | " + backends.map { "\($0) ns/op (×\(document.baseline))" }.joined(separator: " | ") + " |",
      "|---|---:|" + String(repeating: "---:|", count: backends.count),
    ]
    for group in groups {
      let parts = group.split(separator: "|").map(String.init)
      let cells = backends.map { backend -> String in
        guard let record = document.records.first(where: {
          $0.backend == backend && $0.workload == parts[0] && "\($0.objects)" == parts[1]
        }) else { return "–" }
        return String(format: "%.2f", record.nanosecondsPerOperation)
          + (record.ratio.map { String(format: " (%.2f)", $0) } ?? "")
      }
      lines.append("| \(parts[0]) | \(parts[1]) | " + cells.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Pretty-printed JSON.
  static func json<Document: Encodable>(_ document: Document) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
  }

  /// How the figures were taken: "median of 3 processes × 1 round", or of rounds alone in older documents.
  static func medianSummary(_ document: BenchDocument) -> String {
    guard let processes = document.processes else { return "median of \(document.rounds) rounds" }
    return "median of \(processes) processes × \(document.rounds) round\(document.rounds == 1 ? "" : "s")"
  }

  /// What every child but the reference held before its workload.
  static func residentSummary(_ profile: ResidentProfile?) -> String {
    guard let profile, !profile.rows.isEmpty else { return "no resident heap" }
    return "every child holds the reference's start-up heap (\(profile.blocksInUse) blocks in \(profile.rows.count) classes)"
  }

  /// `rows` (the header first) as lines, columns two spaces apart and each as wide as its widest cell; the columns
  /// from `firstRightAligned` on are aligned right, the others left.
  static func alignedLines(_ rows: [[String]], rightAlignedFrom firstRightAligned: Int = .max) -> [String] {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.indices.map { column in
        column < firstRightAligned
          ? row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[column] - row[column].count) + row[column]
      }.joined(separator: "  ")
    }
  }

  /// Bytes as MiB with one decimal.
  static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

  private static func sorted(_ records: [BenchRecord]) -> [BenchRecord] {
    let order = Dictionary(uniqueKeysWithValues: records.map(\.workload).uniqued().enumerated().map { ($1, $0) })
    return records.enumerated().sorted { lhs, rhs in
      let left = (order[lhs.element.workload] ?? 0, lhs.element.objects, lhs.offset)
      let right = (order[rhs.element.workload] ?? 0, rhs.element.objects, rhs.offset)
      return left < right
    }.map(\.element)
  }
}
