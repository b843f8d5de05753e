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
      one byte per block, as the synthetic workloads do: their median is the child's ns/op, so it measures the \
      allocator and not the pattern work (the verifying replay's time is shown beside it). Each backend runs in \
      --processes children, interleaved; ns/op and peak RSS are the medians over them. Frees of unknown \
      addresses and unparsable lines are counted, not fatal. Peak RSS is the child's above its RSS after parsing; \
      overhead = peak RSS / peak live requested bytes. With --resident cpython (the default when the reference \
      is built) every other child first builds the reference interpreter's start-up heap, as bench does.
      """)

  @Argument(help: "The mtrace log (plain or .gz).")
  var trace: String

  @Option(name: .customLong("backend"), help: "A backend to run (repeatable; default: every compiled-in backend).")
  var backends: [String] = []

  @Option(help: "Timed replays per child after its verifying one.")
  var rounds: Int = 1

  @OptionGroup var children: ChildRunOptions

  @Option(help: "Output format: table, json or csv.")
  var format: BenchFormat = .table

  func validate() throws {
    guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, not \(rounds)") }
    guard FileManager.default.isReadableFile(atPath: trace) else {
      throw ValidationError("cannot read trace file '\(trace)'")
    }
    try requireBenchmarkable(backends, command: "replay")
  }

  func run() throws {
    var records: [ReplayRecord] = []
    let selected = backends.isEmpty ? benchmarkableBackends : backends
    if backends.isEmpty { skippedBackends.forEach { FileDescriptorOutput.standardError.write("replay: \($0.line)\n") } }
    let profile = try children.resident.profile()
    let jobs = children.interleaved(selected)
    for (index, (process, backend)) in jobs.enumerated() {
      FileDescriptorOutput.standardError.write(
        "replay [\(index + 1)/\(jobs.count)] \(backend) \(trace) (process \(process) of \(children.processes))…\n")
      records += try ChildProcess.records(ReplayRecord.self, backend: backend, profile: profile) { childBackend in
        ["replay-child", trace, "--backend", childBackend, "--rounds", "\(rounds)"]
      }
    }
    records = ReplayRecord.combiningProcesses(records)
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
      nanosecondsPerOperation: timed.median, roundNanosecondsPerOperation: timed,
      verifiedNanosecondsPerOperation: result.nanosecondsPerOperation, peakResidentBytes: peak,
      peakLiveBytes: result.peakLiveBytes,
      overhead: ReplayRecord.overhead(peakResidentBytes: peak, peakLiveBytes: result.peakLiveBytes),
      unknownAddresses: log.unknownAddresses, unparsableLines: log.unparsableLines,
      failedOperations: result.failedOperations, corruptedOperations: result.corruptedOperations)
  }
}
