//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads
import ArgumentParser
import Foundation

/// The hidden child of `bench`: one backend, one workload, in a fresh process; prints one JSON record per line.
struct BenchChildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "bench-child", shouldDisplay: false)

  @Option var backend: String
  @Option var workload: Workload
  @Option var objects: Int
  @Option var rounds: Int
  @Option var resident: ResidentProfile = .empty

  func run() throws {
    let records = try withAllocator(named: backend, WorkloadJob(
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
    ProcessMemory.resetPeak()
    let baseline = ProcessMemory.current().residentBytes
    _ = body()
    let timed = (0..<max(1, rounds)).map { _ in body() }
    let memory = ProcessMemory.current()
    let perOperation = timed.map(\.nanosecondsPerOperation)
    let retained = timed.last?.retainedResidentBytes ?? memory.residentBytes
    return BenchRecord(
      backend: backend, workload: workload.rawValue, objects: objects, unit: workload.unit,
      nanosecondsPerOperation: perOperation.median,
      roundNanosecondsPerOperation: perOperation, operations: timed.first?.operations ?? 0,
      peakResidentBytes: max(0, memory.peakResidentBytes - baseline), retainedResidentBytes: max(0, retained - baseline),
      ratio: nil)
  }
}
