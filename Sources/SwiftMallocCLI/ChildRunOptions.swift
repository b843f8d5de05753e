//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads
import ArgumentParser

/// What `bench` and `replay` share about their children: how many measure each job, and the heap each holds first.
struct ChildRunOptions: ParsableArguments {
  @Option(help: "Child processes per measurement, run interleaved (the median of their figures is reported).")
  var processes: Int = 5

  @Option(help: "The heap each child holds before its work: cpython (the reference's start-up heap) or none.")
  var resident: ResidentChoice = .buildDefault

  func validate() throws {
    guard (1...100).contains(processes) else {
      throw ValidationError("--processes must be 1…100, got \(processes)")
    }
  }

  /// The jobs in the order their children run: every job once, then again, ``processes`` times; each with its
  /// pass (1-based).
  func interleaved<Job>(_ jobs: [Job]) -> [(process: Int, job: Job)] {
    (1...processes).flatMap { process in jobs.map { (process, $0) } }
  }
}

/// A record a bench or replay child prints, relabelled with the bench name of the backend it ran as.
protocol ChildRecord: Decodable {
  var backend: String { get set }
}

extension ChildProcess {
  /// Runs the child `arguments(childBackend)` for the bench backend `backend` — with its variant's environment,
  /// and the resident heap `profile` passed on unless the child is the reference — and returns the records it
  /// prints, labelled `backend`.
  static func records<Record: ChildRecord>(
    _ type: Record.Type, backend: String, profile: ResidentProfile, arguments: (String) -> [String]
  ) throws -> [Record] {
    let child = BenchVariant.childBackend(for: backend)
    let output = try run(
      arguments(child.backend) + ResidentChoice.childArguments(profile, backend: child.backend),
      environment: child.environment)
    return try records(Record.self, from: output).map { record in
      var record = record
      record.backend = backend
      return record
    }
  }
}

extension BenchRecord: ChildRecord {}
extension ReplayRecord: ChildRecord {}
