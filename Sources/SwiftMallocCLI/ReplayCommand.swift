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
      The first replay fills every block with a pattern and verifies it before its free or reallocation; a \
      damaged block is reported with its operation number. Then the log is replayed --rounds more times writing \
      one byte per block, as the synthetic workloads do: ns/op is their median, so it measures the allocator and \
      not the pattern work (the verifying replay's time is shown beside it). Frees of unknown addresses and \
      unparsable lines are counted, not fatal. Peak RSS is the child's above its RSS after parsing; overhead = \
      peak RSS / peak live requested bytes. With --resident cpython (the default when the reference is built) \
      every other child first builds the reference interpreter's start-up heap, as bench does.
      """)

  @Argument(help: "The mtrace log (plain or .gz).")
  var trace: String

  @Option(name: .customLong("backend"), help: "A backend to run (repeatable; default: every compiled-in backend).")
  var backends: [String] = []

  @Option(help: "Timed replays after the verifying one.")
  var rounds: Int = 3

  @Option(help: "The heap each child holds before the replay: cpython (the reference's start-up heap) or none.")
  var resident: ResidentChoice = .buildDefault

  @Option(help: "Output format: table, json or csv.")
  var format: BenchFormat = .table

  func validate() throws {
    guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, not \(rounds)") }
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
    let profile = try resident.profile()
    for (index, backend) in selected.enumerated() {
      FileDescriptorOutput.standardError.write("replay [\(index + 1)/\(selected.count)] \(backend) \(trace)…\n")
      let child = BenchVariant.childBackend(for: backend)
      let output = try ChildProcess.run(
        ["replay-child", trace, "--backend", child.backend, "--rounds", "\(rounds)"]
          + ResidentChoice.childArguments(profile, backend: child.backend), environment: child.environment)
      records += try ChildProcess.records(ReplayRecord.self, from: output).map { record in
        var record = record
        record.backend = backend
        return record
      }
    }
    switch format {
    case .json: FileDescriptorOutput.standardOutput.write(try BenchTable.json(records))
    case .csv, .markdown: FileDescriptorOutput.standardOutput.write(ReplayRecord.csv(records))
    case .table:
      FileDescriptorOutput.standardOutput.write(ReplayRecord.table(records, trace: trace, resident: profile))
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
  @Option var rounds: Int = 1
  @Option var resident: ResidentProfile = .empty

  func run() throws {
    let log = try MtraceLog(contentsOf: trace)
    let record = try withAllocator(
      named: backend,
      ReplayJob(backend: backend, trace: trace, log: log, rounds: max(1, rounds), resident: resident))
    FileDescriptorOutput.standardOutput.write(String(decoding: try JSONEncoder().encode(record), as: UTF8.self) + "\n")
  }
}

/// One backend's replay figures.
struct ReplayRecord: Codable {
  var backend: String
  var trace: String
  var operations: Int
  /// The median of the timed (one-byte-write) replays.
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
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    lines += ([header] + rows).map { row in
      row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
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

/// Builds the resident heap, replays once verifying, then `rounds` times timed, on one allocator; measures the
/// child's RSS above its baseline after parsing and building (the parse's own peak is forgotten first).
private struct ReplayJob: AllocatorJob {
  let backend: String
  let trace: String
  let log: MtraceLog
  let rounds: Int
  let resident: ResidentProfile

  func run<A: Allocator>(_ allocator: A) -> ReplayRecord {
    let residentHeap = ResidentHeap(resident, on: allocator)
    defer { residentHeap.release() }
    return replay(allocator)
  }

  private func replay<A: Allocator>(_ allocator: A) -> ReplayRecord {
    ProcessMemory.resetPeak()
    let baseline = ProcessMemory.current().residentBytes
    let replay = TraceReplay(allocator: allocator)
    let result = replay.run(log)
    let timed = (0..<rounds).map { _ in replay.run(log, verifies: false).nanosecondsPerOperation }
    let peak = max(0, ProcessMemory.current().peakResidentBytes - baseline)
    return ReplayRecord(
      backend: backend, trace: (trace as NSString).lastPathComponent, operations: result.operations,
      nanosecondsPerOperation: timed.sorted()[timed.count / 2], roundNanosecondsPerOperation: timed,
      verifiedNanosecondsPerOperation: result.nanosecondsPerOperation, peakResidentBytes: peak,
      peakLiveBytes: result.peakLiveBytes,
      overhead: result.peakLiveBytes > 0 ? Double(peak) / Double(result.peakLiveBytes) : 0,
      unknownAddresses: log.unknownAddresses, unparsableLines: log.unparsableLines,
      failedOperations: result.failedOperations, corruptedOperations: result.corruptedOperations)
  }
}
