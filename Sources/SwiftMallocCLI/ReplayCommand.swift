//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads
import ArgumentParser
import Foundation

/// `swiftmalloc replay TRACE`: replays a glibc `mtrace` log on each backend, each in its own child process.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Replay a glibc mtrace log (.gz read through gzip -dc) on each backend, verifying every block.",
    discussion: """
      Every block is filled with a pattern and verified before its free or reallocation; a damaged block is \
      reported with its operation number. Frees of unknown addresses and unparsable lines are counted, not fatal. \
      overhead = peak RSS / peak live requested bytes.
      """)

  @Argument(help: "The mtrace log (plain or .gz).")
  var trace: String

  @Option(name: .customLong("backend"), help: "A backend to run (repeatable; default: every compiled-in backend).")
  var backends: [String] = []

  @Option(help: "Output format: table, json or csv.")
  var format: BenchFormat = .table

  func validate() throws {
    guard FileManager.default.isReadableFile(atPath: trace) else {
      throw ValidationError("cannot read trace file '\(trace)'")
    }
    for name in backends where !(benchmarkableBackends + Registry.acceptedNames).contains(name) {
      throw ValidationError(
        "unknown or unbuilt backend '\(name)'; replay accepts: \((benchmarkableBackends + Registry.acceptedNames).joined(separator: ", "))")
    }
  }

  func run() throws {
    var records: [ReplayRecord] = []
    let selected = backends.isEmpty ? benchmarkableBackends : backends
    for (index, backend) in selected.enumerated() {
      FileDescriptorOutput.standardError.write("replay [\(index + 1)/\(selected.count)] \(backend) \(trace)…\n")
      let child = BenchVariant.childBackend(for: backend)
      let output = try ChildProcess.run(
        ["replay-child", trace, "--backend", child.backend], environment: child.environment)
      records += try ChildProcess.records(ReplayRecord.self, from: output).map { record in
        var record = record
        record.backend = backend
        return record
      }
    }
    switch format {
    case .json: FileDescriptorOutput.standardOutput.write(try BenchTable.json(records))
    case .csv, .markdown: FileDescriptorOutput.standardOutput.write(ReplayRecord.csv(records))
    case .table: FileDescriptorOutput.standardOutput.write(ReplayRecord.table(records, trace: trace))
    }
    if records.contains(where: { !$0.corruptedOperations.isEmpty }) {
      throw ExitCode(1)
    }
  }
}

/// The hidden child of `replay`: parses the log, then replays it on one backend.
struct ReplayChildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "replay-child", shouldDisplay: false)

  @Argument var trace: String
  @Option var backend: String

  func run() throws {
    let log = try MtraceLog(contentsOf: trace)
    let record = try withAllocator(named: backend, ReplayJob(backend: backend, trace: trace, log: log))
    FileDescriptorOutput.standardOutput.write(String(decoding: try JSONEncoder().encode(record), as: UTF8.self) + "\n")
  }
}

/// One backend's replay figures.
struct ReplayRecord: Codable {
  var backend: String
  var trace: String
  var operations: Int
  var nanosecondsPerOperation: Double
  var peakResidentBytes: Int
  var peakLiveBytes: Int
  var overhead: Double
  var unknownAddresses: Int
  var unparsableLines: Int
  var failedOperations: Int
  var corruptedOperations: [Int]

  static func table(_ records: [ReplayRecord], trace: String) -> String {
    var lines = ["replay of \(trace)", ""]
    let header = ["backend", "ops", "ns/op", "peak RSS", "peak live", "overhead", "unknown", "unparsable", "corrupt"]
    let rows = records.map { record in
      [
        record.backend, "\(record.operations)", String(format: "%.1f", record.nanosecondsPerOperation),
        BenchTable.megabytes(record.peakResidentBytes), BenchTable.megabytes(record.peakLiveBytes),
        String(format: "%.2f", record.overhead), "\(record.unknownAddresses)", "\(record.unparsableLines)",
        record.corruptedOperations.isEmpty ? "0" : "\(record.corruptedOperations.count) at op \(record.corruptedOperations[0])",
      ]
    }
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    lines += ([header] + rows).map { row in
      row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func csv(_ records: [ReplayRecord]) -> String {
    let header = "backend,trace,operations,ns_per_op,peak_rss_bytes,peak_live_bytes,overhead,unknown,unparsable,corrupted"
    return ([header] + records.map { record in
      [
        record.backend, record.trace, "\(record.operations)", String(format: "%.3f", record.nanosecondsPerOperation),
        "\(record.peakResidentBytes)", "\(record.peakLiveBytes)", String(format: "%.4f", record.overhead),
        "\(record.unknownAddresses)", "\(record.unparsableLines)", "\(record.corruptedOperations.count)",
      ].joined(separator: ",")
    }).joined(separator: "\n") + "\n"
  }
}

/// Replays once on one allocator and measures the child's RSS above its baseline after parsing.
private struct ReplayJob: AllocatorJob {
  let backend: String
  let trace: String
  let log: MtraceLog

  func run<A: Allocator>(_ allocator: A) -> ReplayRecord {
    let baseline = ProcessMemory.current().residentBytes
    let result = TraceReplay(allocator: allocator).run(log)
    let peak = max(0, ProcessMemory.current().peakResidentBytes - baseline)
    return ReplayRecord(
      backend: backend, trace: (trace as NSString).lastPathComponent, operations: result.operations,
      nanosecondsPerOperation: result.nanosecondsPerOperation, peakResidentBytes: peak,
      peakLiveBytes: result.peakLiveBytes,
      overhead: result.peakLiveBytes > 0 ? Double(peak) / Double(result.peakLiveBytes) : 0,
      unknownAddresses: log.unknownAddresses, unparsableLines: log.unparsableLines,
      failedOperations: result.failedOperations, corruptedOperations: result.corruptedOperations)
  }
}
