//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads
import ArgumentParser
import Foundation

/// The hidden child of `bench`: one backend, one workload (on `--threads` threads if threaded), in a fresh
/// process; prints one JSON record per line.
struct BenchChildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "bench-child", shouldDisplay: false)

  @Option var backend: String
  @Option var workload: Workload
  @Option var objects: Int
  @Option var rounds: Int
  @Option var resident: ResidentProfile = .empty
  @Option var threads: Int = 1

  func validate() throws {
    guard (1...ThreadCounts.maximum).contains(threads) else {
      throw ValidationError("--threads must be 1…\(ThreadCounts.maximum), got \(threads)")
    }
  }

  func run() throws {
    let records = try workload.isThreaded
      ? [withThreadSharedAllocator(named: backend, ThreadedWorkloadJob(
        backend: backend, workload: workload, objects: objects, threads: threads, rounds: rounds, resident: resident))]
      : withAllocator(named: backend, WorkloadJob(
        backend: backend, workload: workload, objects: objects, rounds: rounds, resident: resident))
    let encoder = JSONEncoder()
    for record in records {
      FileDescriptorOutput.standardOutput.write(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n")
    }
  }
}

extension Workload: ExpressibleByArgument {}

/// The resident heap built, then warm-up once and `rounds` timed runs; the median is the figure.
private struct WorkloadJob: AllocatorJob {
  let backend: String
  let workload: Workload
  let objects: Int
  let rounds: Int
  let resident: ResidentProfile

  func run<A: Allocator>(_ allocator: A) -> [BenchRecord] {
    let residentHeap = ResidentHeap(resident, on: allocator)
    defer { residentHeap.release() }
    return measureWorkload(allocator)
  }

  private func measureWorkload<A: Allocator>(_ allocator: A) -> [BenchRecord] {
    guard workload == .scale else {
      let runner = WorkloadRunner(allocator: allocator, objects: objects, workload: workload)
      return [measure(objects: objects) { runner.run(workload) }]
    }
    return WorkloadRunner<A>.scaleSteps(objects: objects).map { step in
      let runner = WorkloadRunner(allocator: allocator, objects: step, workload: .scale)
      return measure(objects: step) { runner.runChurn(liveSlots: max(1, step / 10), steps: 4 * step) }
    }
  }

  private func measure(objects: Int, _ body: () -> WorkloadMeasurement) -> BenchRecord {
    BenchRecord.measuring(backend: backend, workload: workload, objects: objects, rounds: rounds, body)
  }
}
