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
          && $0.threads == record.threads
      }), reference.nanosecondsPerOperation > 0 {
        record.ratio = record.nanosecondsPerOperation / reference.nanosecondsPerOperation
      }
      return record
    }
  }

  /// Rows grouped by workload and N, one line per backend; then the threaded workloads' rows, grouped by workload,
  /// N and threads.
  static func table(_ document: BenchDocument) -> String {
    let (single, threaded) = partitioned(document.records)
    var lines: [String] = []
    if !single.isEmpty {
      let header = ["workload", "N", "backend", "ns/op", "ratio", "peak RSS", "retained RSS"]
      let rows = single.map { record in
        [
          record.workload, "\(record.objects)", record.backend, String(format: "%.2f", record.nanosecondsPerOperation),
          ratio(record), megabytes(record.peakResidentBytes), megabytes(record.retainedResidentBytes),
        ]
      }
      lines += alignedLines([header] + rows, rightAlignedFrom: 3) + [""]
    }
    if !threaded.isEmpty {
      let header = ["workload", "N", "threads", "backend", "ops/s", "ops/s per thread", "ns/op", "ratio", "peak RSS"]
      let rows = threaded.map { record in
        [
          record.workload, "\(record.objects)", "\(record.threads ?? 1)", record.label,
          millions(record.operationsPerSecond), millions(record.operationsPerSecondPerThread),
          String(format: "%.2f", record.nanosecondsPerOperation), ratio(record), megabytes(record.peakResidentBytes),
        ]
      }
      lines += alignedLines([header] + rows, rightAlignedFrom: 4) + [""]
    }
    let footer = "baseline \(document.baseline); \(document.machine.cpuModel), \(document.machine.cores) cores; "
      + medianSummary(document) + "; " + residentSummary(document.resident)
    let locked = lockedSummary(threaded).map { [$0] } ?? []
    return (lines + [footer] + locked).joined(separator: "\n") + "\n"
  }

  /// The records in table order, those of single-threaded workloads apart from the threaded ones.
  static func partitioned(_ records: [BenchRecord]) -> (single: [BenchRecord], threaded: [BenchRecord]) {
    let ordered = sorted(records)
    return (ordered.filter { $0.threads == nil }, ordered.filter { $0.threads != nil })
  }

  /// The backends the threads called behind a mutex, in record order.
  static func lockedBackends(_ records: [BenchRecord]) -> [String] {
    records.filter { $0.locked == true }.map(\.backend).uniqued()
  }

  /// One line naming the backends the threads called behind a mutex, if any did.
  static func lockedSummary(_ records: [BenchRecord]) -> String? {
    let locked = lockedBackends(records)
    guard !locked.isEmpty else { return nil }
    return "threads-*: (locked) = not thread-safe, so called behind one process-wide mutex as the C ABI's "
      + "sm_object_* do: " + locked.joined(separator: ", ") + "; ns/op = wall time / all threads' operations"
  }

  /// One CSV line per record.
  static func csv(_ document: BenchDocument) -> String {
    let header = "workload,objects,backend,unit,ns_per_op,ratio,peak_rss_bytes,retained_rss_bytes,"
      + "threads,locked,ops_per_second,ops_per_second_per_thread"
    let lines = sorted(document.records).map { record in
      [
        record.workload, "\(record.objects)", record.backend, record.unit,
        String(format: "%.3f", record.nanosecondsPerOperation), record.ratio.map { String(format: "%.4f", $0) } ?? "",
        "\(record.peakResidentBytes)", "\(record.retainedResidentBytes)", record.threads.map { "\($0)" } ?? "",
        record.locked.map { "\($0)" } ?? "", record.operationsPerSecond.map { String(format: "%.0f", $0) } ?? "",
        record.operationsPerSecondPerThread.map { String(format: "%.0f", $0) } ?? "",
      ].joined(separator: ",")
    }
    return ([header] + lines).joined(separator: "\n") + "\n"
  }

  /// A Markdown table: one row per workload and N, ns/op per backend with its ratio to the baseline; then one of
  /// the threaded workloads: one row per workload, N and threads, ops/s in all and per thread per backend.
  static func markdown(_ document: BenchDocument) -> String {
    let (single, threaded) = partitioned(document.records)
    var lines: [String] = []
    if !single.isEmpty {
      lines += markdownTable(
        single, columns: ["workload", "N"], heading: { "\($0.backend) ns/op (×\(document.baseline))" },
        row: { [$0.workload, "\($0.objects)"] },
        cell: { String(format: "%.2f", $0.nanosecondsPerOperation) + (ratio(of: $0).map { " (\($0))" } ?? "") })
    }
    if !threaded.isEmpty {
      if !lines.isEmpty { lines.append("") }
      lines += markdownTable(
        threaded, columns: ["workload", "N", "threads"],
        heading: { "\($0.label) ops/s, per thread (ns/op ×\(document.baseline))" },
        row: { [$0.workload, "\($0.objects)", "\($0.threads ?? 1)"] },
        cell: { record in
          millions(record.operationsPerSecond) + ", " + millions(record.operationsPerSecondPerThread)
            + (ratio(of: record).map { " (\($0))" } ?? "")
        })
      if let locked = lockedSummary(threaded) { lines += ["", locked] }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Markdown lines: one row per distinct value of `row`, one column per backend (headed by `heading` of its
  /// first record), each cell `cell` of the record of that row and backend.
  private static func markdownTable(
    _ records: [BenchRecord], columns: [String], heading: (BenchRecord) -> String, row: (BenchRecord) -> [String],
    cell: (BenchRecord) -> String
  ) -> [String] {
    let backends = records.map(\.backend).uniqued()
    let headings = backends.map { backend in heading(records.first { $0.backend == backend }!) }
    var lines = [
      "| " + (columns + headings).joined(separator: " | ") + " |",
      "|---|" + String(repeating: "---:|", count: columns.count - 1 + backends.count),
    ]
    for values in records.map(row).uniqued() {
      let cells = backends.map { backend in
        records.first { $0.backend == backend && row($0) == values }.map(cell) ?? "–"
      }
      lines.append("| " + (values + cells).joined(separator: " | ") + " |")
    }
    return lines
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

  /// A ratio as the table prints it, `0.85×`, or `-` without one.
  static func ratio(_ record: BenchRecord) -> String { ratio(of: record).map { $0 + "×" } ?? "-" }

  /// A ratio with two decimals, if the record has one.
  private static func ratio(of record: BenchRecord) -> String? { record.ratio.map { String(format: "%.2f", $0) } }

  /// Operations per second in millions, `12.34 M`, or `-` without a figure.
  static func millions(_ value: Double?) -> String { value.map { String(format: "%.2f M", $0 / 1e6) } ?? "-" }

  /// Bytes as MiB with one decimal.
  static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

  private static func sorted(_ records: [BenchRecord]) -> [BenchRecord] {
    let order = Dictionary(uniqueKeysWithValues: records.map(\.workload).uniqued().enumerated().map { ($1, $0) })
    return records.enumerated().sorted { lhs, rhs in
      let left = (order[lhs.element.workload] ?? 0, lhs.element.objects, lhs.element.threads ?? 0, lhs.offset)
      let right = (order[rhs.element.workload] ?? 0, rhs.element.objects, rhs.element.threads ?? 0, rhs.offset)
      return left < right
    }.map(\.element)
  }
}
