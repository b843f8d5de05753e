//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads
import ArgumentParser
import Foundation

/// `swiftmalloc bench`: every backend × workload of the benchmark spec, each in a child process of its own.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmark backends side by side on the spec's workloads (each backend in its own child process).",
    discussion: """
      Each backend × workload runs in --processes children, interleaved (every job once, then again): a child \
      times --rounds runs after one warm-up, and ns/op, peak and retained RSS (above the child's resident set \
      before the workload) are the medians over the children — timings differ far more between processes than \
      between rounds in one. Ratios are against --baseline (default: cpython when built, else malloc). With \
      --resident cpython (the default when the reference is built) every other child first builds the heap the \
      reference interpreter holds after start-up (its sys._debugmallocstats() class table, read in this run), so \
      no backend runs on a colder heap than the reference. The threads-* workloads run at each --threads count \
      (ns/op is wall time over all threads' operations, beside ops/s in all and per thread); a backend that is \
      not thread-safe (pymalloc, cpython) runs behind one process-wide mutex, as the C ABI's sm_object_* do, \
      and its rows say "(locked)".
      """)

  @Option(name: .customLong("backend"), help: "A backend to run (repeatable; default: every compiled-in backend).")
  var backends: [String] = []

  @Option(name: .customLong("workload"), help: "A workload to run (repeatable; default: all).")
  var workloads: [Workload] = []

  @Option(help: "N, the number of objects (scale runs N = 10^4 … up to 10 × N, at most 10^7).")
  var objects: Int = 1_000_000

  @Option(
    help: ArgumentHelp(
      "Thread counts of the threads-local, threads-remote and threads-larson workloads, comma-separated (1…64).",
      valueName: "T,T,…"))
  var threads: ThreadCounts = .standard

  @Option(help: "Timed rounds per child (the median is the child's figure).")
  var rounds: Int = 1

  @OptionGroup var children: ChildRunOptions

  @Option(help: "The backend ratios are computed against.")
  var baseline: String?

  @Option(help: "Output format: table, json, csv or markdown.")
  var format: BenchFormat = .table

  @Option(help: "Write an SVG bar chart (ns/op and peak RSS per workload, ops/s per thread count) to this file.")
  var chart: String?

  @Option(help: "Also write the JSON document to this file.")
  var jsonOutput: String?

  @Option(help: "Render a saved JSON document (from --json-output) instead of running.")
  var from: String?

  @OptionGroup var programs: ProgramBenchOptions

  func validate() throws {
    guard objects >= 1_000 else { throw ValidationError("--objects must be at least 1000, got \(objects)") }
    guard (1...100).contains(rounds) else { throw ValidationError("--rounds must be 1…100, got \(rounds)") }
    try requireBenchmarkable(selectedBackends + [baseline].compactMap({ $0 }), command: "bench")
    if let baseline, !selectedBackends.contains(baseline) {
      throw ValidationError("--baseline \(baseline) is not among the backends run: \(selectedBackends.joined(separator: ", "))")
    }
  }

  func run() throws {
    if programs.enabled { return try runPrograms() }
    let document: BenchDocument = try from.map { try loadDocument($0) } ?? measure()
    let json = try BenchTable.json(document)
    if let jsonOutput { try json.write(toFile: jsonOutput, atomically: true, encoding: .utf8) }
    if let chart { try BenchChart.svg(document).write(toFile: chart, atomically: true, encoding: .utf8) }
    switch format {
    case .table: FileDescriptorOutput.standardOutput.write(BenchTable.table(document))
    case .json: FileDescriptorOutput.standardOutput.write(json)
    case .csv: FileDescriptorOutput.standardOutput.write(BenchTable.csv(document))
    case .markdown: FileDescriptorOutput.standardOutput.write(BenchTable.markdown(document))
    }
  }

  /// Runs every backend × workload in its own child and computes the ratios.
  private func measure() throws -> BenchDocument {
    let selectedWorkloads = workloads.isEmpty ? Workload.allCases : workloads
    if backends.isEmpty { skippedBackends.forEach { FileDescriptorOutput.standardError.write("bench: \($0.line)\n") } }
    let jobs = children.interleaved(selectedBackends.flatMap { backend in
      selectedWorkloads.flatMap { workload in
        (workload.isThreaded ? threads.counts : [1]).map { (backend, workload, $0) }
      }
    })
    let profile = try children.resident.profile()
    var records: [BenchRecord] = []
    for (index, (process, (backend, workload, threadCount))) in jobs.enumerated() {
      let threadsNote = workload.isThreaded ? " T=\(threadCount)" : ""
      let job = "\(backend) \(workload.rawValue)\(threadsNote) (process \(process) of \(children.processes))"
      FileDescriptorOutput.standardError.write("bench [\(index + 1)/\(jobs.count)] \(job)…\n")
      records += try ChildProcess.records(BenchRecord.self, backend: backend, profile: profile) { childBackend in
        [
          "bench-child", "--backend", childBackend, "--workload", workload.rawValue, "--objects", "\(objects)",
          "--rounds", "\(rounds)", "--threads", "\(threadCount)",
        ]
      }
    }
    let baselineName = baseline ?? (selectedBackends.contains("cpython") ? "cpython" : selectedBackends[0])
    return BenchDocument(
      machine: .current(), command: CommandLine.arguments.joined(separator: " "), baseline: baselineName,
      rounds: rounds, processes: children.processes, resident: profile,
      records: BenchTable.withRatios(BenchRecord.combiningProcesses(records), baseline: baselineName))
  }

  func loadDocument<Document: Decodable>(_ path: String) throws -> Document {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ValidationError("cannot read bench document '\(path)'")
    }
    return try JSONDecoder().decode(Document.self, from: data)
  }

  private var selectedBackends: [String] { backends.isEmpty ? benchmarkableBackends : backends }
}

/// The formats `bench` and `replay` print.
enum BenchFormat: String, ExpressibleByArgument, CaseIterable {
  case table
  case json
  case csv
  case markdown
}
