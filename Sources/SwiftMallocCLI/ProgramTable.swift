//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation

/// Renders a `bench --programs` document: one row per program × allocator, wall time and peak RSS with their
/// ratios to glibc.
enum ProgramTable {
  static func table(_ document: ProgramBenchDocument) -> String {
    let header = ["program", "allocator", "wall", "×glibc", "peak RSS", "×glibc"]
    let rows = document.records.map { record in
      [
        record.program, record.allocator, String(format: "%.2f s", record.wallSeconds), ratio(record.wallRatio),
        BenchTable.megabytes(record.peakResidentBytes), ratio(record.residentRatio),
      ]
    }
    return (BenchTable.alignedLines([header] + rows, rightAlignedFrom: 2) + ["", footer(document)])
      .joined(separator: "\n") + "\n"
  }

  /// One row per program, wall-time ratio and RSS ratio per allocator.
  static func markdown(_ document: ProgramBenchDocument) -> String {
    let allocators = document.records.map(\.allocator).uniqued()
    var lines = [
      "| program | " + allocators.map { "\($0) wall, RSS ×glibc" }.joined(separator: " | ") + " |",
      "|---|" + String(repeating: "---:|", count: allocators.count),
    ]
    for program in document.records.map(\.program).uniqued() {
      let cells = allocators.map { allocator in
        document.records.first { $0.program == program && $0.allocator == allocator }.map { record in
          record.allocator == "glibc"
            ? String(format: "%.2f s, ", record.wallSeconds) + BenchTable.megabytes(record.peakResidentBytes)
            : ratio(record.wallRatio) + ", " + ratio(record.residentRatio)
        } ?? "–"
      }
      lines.append("| \(program) | " + cells.joined(separator: " | ") + " |")
    }
    return (lines + ["", footer(document)]).joined(separator: "\n") + "\n"
  }

  /// One CSV line per record.
  static func csv(_ document: ProgramBenchDocument) -> String {
    let header = "program,allocator,wall_seconds,wall_ratio,peak_rss_bytes,rss_ratio"
    let lines = document.records.map { record in
      [
        record.program, record.allocator, String(format: "%.4f", record.wallSeconds),
        record.wallRatio.map { String(format: "%.4f", $0) } ?? "", "\(record.peakResidentBytes)",
        record.residentRatio.map { String(format: "%.4f", $0) } ?? "",
      ].joined(separator: ",")
    }
    return ([header] + lines).joined(separator: "\n") + "\n"
  }

  /// How the figures were taken.
  static func footer(_ document: ProgramBenchDocument) -> String {
    "median of \(document.processes) processes per program × allocator, interleaved; \(document.machine.cpuModel), "
      + "\(document.machine.cores) cores; peak RSS = GNU time's %M; python-* run with PYTHONMALLOC=malloc "
      + "except on python-pymalloc (python3's own C pymalloc)"
  }

  private static func ratio(_ value: Double?) -> String { value.map { String(format: "%.2f×", $0) } ?? "-" }
}
