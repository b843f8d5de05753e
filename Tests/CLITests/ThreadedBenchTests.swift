//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import Testing

@testable import SwiftMallocCLI

@Suite("swiftmalloc bench: the threaded workloads")
struct ThreadedBenchTests {
  @Test(
    "bench-child runs each threaded workload on --threads threads and prints its JSON record",
    arguments: ["threads-local", "threads-remote", "threads-larson"], ["malloc", "pymalloc"])
  func benchChild(workload: String, backend: String) async throws {
    let locked = backend == "pymalloc"
    guard BuildConfiguration.isCompiledIn(locked ? .pymalloc : .malloc) else { return }
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      [backend, workload] in
      SwiftMallocCommand.main([
        "bench-child", "--backend", backend, "--workload", workload, "--objects", "2000", "--rounds", "1",
        "--threads", "2",
      ])
    }
    let record = try JSONDecoder().decode(BenchRecord.self, from: Data(result?.standardOutputContent ?? []))
    #expect(record.workload == workload && record.threads == 2 && record.locked == locked)
    #expect(record.operations >= 2000 && record.nanosecondsPerOperation > 0)
    let perSecond = try #require(record.operationsPerSecond)
    #expect(abs(perSecond - 1e9 / record.nanosecondsPerOperation) < 1e-6 * perSecond)
    #expect(record.operationsPerSecondPerThread == perSecond / 2)
  }

  @Test("--threads takes a comma-separated list of 1…64, each count once")
  func threadCounts() {
    #expect(ThreadCounts(argument: "1,2,4")?.counts == [1, 2, 4])
    #expect(ThreadCounts(argument: "4, 2,4")?.counts == [4, 2])
    for refused in ["", "0", "65", "1,,2", "two", "-1"] { #expect(ThreadCounts(argument: refused) == nil) }
    #expect(BenchCommand.helpMessage().contains("--threads"))
  }

  @Test("Threaded rows: ratios per thread count, a table of their own with ops/s, (locked) and a line saying why")
  func rendering() throws {
    func record(_ backend: String, threads: Int?, nanoseconds: Double, locked: Bool = false) -> BenchRecord {
      let plain = BenchRecord(
        backend: backend, workload: threads == nil ? "pair" : "threads-local", objects: 1000, unit: "ns/op",
        nanosecondsPerOperation: nanoseconds, roundNanosecondsPerOperation: [nanoseconds],
        processNanosecondsPerOperation: nil, operations: 1000, peakResidentBytes: 0, retainedResidentBytes: 0,
        ratio: nil)
      return threads.map { plain.threaded($0, locked: locked) } ?? plain
    }
    let records = BenchTable.withRatios([
      record("cpython", threads: nil, nanoseconds: 10), record("malloc", threads: nil, nanoseconds: 5),
      record("cpython", threads: 1, nanoseconds: 100, locked: true), record("malloc", threads: 1, nanoseconds: 50),
      record("cpython", threads: 2, nanoseconds: 200, locked: true), record("malloc", threads: 2, nanoseconds: 20),
    ], baseline: "cpython")
    #expect(records.map(\.ratio) == [1, 0.5, 1, 0.5, 1, 0.1])
    let document = BenchDocument(
      machine: .current(), command: "bench", baseline: "cpython", rounds: 1, processes: 1, resident: nil,
      records: records)
    let table = BenchTable.table(document)
    #expect(table.contains("ops/s per thread") && table.contains("cpython (locked)"))
    #expect(table.contains("50.00 M") && table.contains("25.00 M"))
    #expect(table.contains("called behind one process-wide mutex") && table.contains(": cpython;"))
    let csv = BenchTable.csv(document).split(separator: "\n")
    #expect(csv[0].hasSuffix(",threads,locked,ops_per_second,ops_per_second_per_thread"))
    #expect(csv.contains { $0.hasSuffix(",2,false,50000000,25000000") })
    let markdown = BenchTable.markdown(document)
    #expect(markdown.contains("| threads-local | 1000 | 2 | 5.00 M, 2.50 M (1.00) | 50.00 M, 25.00 M (0.10) |"))
    let chart = BenchChart.svg(document)
    #expect(chart.contains("threads-local T=2") && chart.contains("threads: total ops/s"))
    #expect(chart.contains("behind one process-wide mutex (not thread-safe): cpython<"))
  }
}
