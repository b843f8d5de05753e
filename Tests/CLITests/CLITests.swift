//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import Testing

@testable import SwiftMallocCLI

/// The value of a `label = value` report line, commas removed.
func reportValue(_ report: String, _ label: String) -> Int? {
  report.split(separator: "\n").first { $0.hasPrefix(label) }
    .flatMap { $0.split(separator: "=").last }
    .flatMap { Int($0.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)) }
}

@Suite("The swiftmalloc command line")
struct CLITests {
  @Test("stats --backend pymalloc --objects 200000: Total = arenas × 1 MiB, headers = pools × 48")
  func statsReport() throws {
    guard BuildConfiguration.isCompiledIn(.pymalloc) else { return }
    let report = try withAllocator(named: "pymalloc", LiveWorkloadReport(workload: .batch, objects: 200_000, format: .text))
    let rows = report.split(separator: "\n").filter { $0.range(of: #"^\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+$"#, options: .regularExpression) != nil }
    let pools = rows.map { Int($0.split(separator: " ")[2])! }.reduce(0, +)
    let blocks = rows.map { Int($0.split(separator: " ")[3])! }.reduce(0, +)
    let arenas = try #require(reportValue(report, "# arenas allocated current"))
    #expect(blocks == 200_000)
    #expect(reportValue(report, "Total") == arenas * 1_048_576)
    #expect(reportValue(report, "# bytes lost to pool headers") == pools * 48)
    #expect(report.hasPrefix("Small block threshold = 512, in 32 size classes.\n"))
  }

  @Test("An unknown backend exits 2 with one line naming it and the accepted names")
  func unknownBackend() async {
    let result = await #expect(processExitsWith: .exitCode(2), observing: [\.standardErrorContent]) {
      SwiftMallocCommand.main(["backends", "--backend", "bogus"])
    }
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(stderr.hasPrefix("swiftmalloc: error: --backend bogus: unknown backend 'bogus'; this build accepts: default"))
    #expect(stderr.split(separator: "\n").count == 1)
  }

  @Test("replay-child verifies once, then times --rounds replays, and prints one JSON record")
  func replayChild() async throws {
    guard BuildConfiguration.isCompiledIn(.pymalloc) else { return }
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      let trace = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/traces/sample-git.mtrace.gz").path
      SwiftMallocCommand.main(["replay-child", trace, "--backend", "pymalloc", "--rounds", "2"])
    }
    let record = try JSONDecoder().decode(ReplayRecord.self, from: Data(result?.standardOutputContent ?? []))
    #expect(record.operations > 400 && record.corruptedOperations.isEmpty && record.failedOperations == 0)
    #expect(record.roundNanosecondsPerOperation.count == 2 && record.verifiedNanosecondsPerOperation > 0)
    #expect(record.peakLiveBytes > 0 && record.nanosecondsPerOperation > 0)
  }

  @Test("bench-child builds a --resident heap first; a malformed one exits 2 naming the value")
  func benchChildResident() async throws {
    guard BuildConfiguration.isCompiledIn(.pymalloc) else { return }
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      SwiftMallocCommand.main([
        "bench-child", "--backend", "pymalloc", "--workload", "pair", "--objects", "1000", "--rounds", "1",
        "--resident", "16:1:22:999,64:16:3880:200",
      ])
    }
    let record = try JSONDecoder().decode(BenchRecord.self, from: Data(result?.standardOutputContent ?? []))
    #expect(record.workload == "pair" && record.operations == 1000)
    let refused = await #expect(processExitsWith: .exitCode(2), observing: [\.standardErrorContent]) {
      SwiftMallocCommand.main([
        "bench-child", "--backend", "pymalloc", "--workload", "pair", "--objects", "1000", "--rounds", "1",
        "--resident", "16:1:x:1",
      ])
    }
    let message = String(decoding: refused?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("16:1:x:1"))
  }

  @Test("several children's records combine into their medians; a corruption any child saw is kept")
  func combiningProcesses() {
    func record(_ backend: String, _ nanoseconds: Double, peak: Int, retained: Int) -> BenchRecord {
      BenchRecord(
        backend: backend, workload: "pair", objects: 1000, unit: "ns/pair", nanosecondsPerOperation: nanoseconds,
        roundNanosecondsPerOperation: [nanoseconds], processNanosecondsPerOperation: nil, operations: 1000,
        peakResidentBytes: peak, retainedResidentBytes: retained, ratio: nil)
    }
    let combined = BenchRecord.combiningProcesses([
      record("pymalloc", 5, peak: 30, retained: 1), record("cpython", 7, peak: 1, retained: 1),
      record("pymalloc", 3, peak: 10, retained: 9), record("pymalloc", 9, peak: 20, retained: 5),
    ])
    #expect(combined.map(\.backend) == ["pymalloc", "cpython"])
    #expect(combined[0].nanosecondsPerOperation == 5 && combined[0].processNanosecondsPerOperation == [5, 3, 9])
    #expect(combined[0].roundNanosecondsPerOperation == [5, 3, 9])
    #expect(combined[0].peakResidentBytes == 20 && combined[0].retainedResidentBytes == 5)

    func replay(_ nanoseconds: Double, corrupted: [Int]) -> ReplayRecord {
      ReplayRecord(
        backend: "pymalloc", trace: "t", operations: 10, nanosecondsPerOperation: nanoseconds,
        roundNanosecondsPerOperation: [nanoseconds], verifiedNanosecondsPerOperation: 2 * nanoseconds,
        peakResidentBytes: Int(nanoseconds) * 100, peakLiveBytes: 200, overhead: 0, unknownAddresses: 0,
        unparsableLines: 0, failedOperations: 0, corruptedOperations: corrupted)
    }
    let replays = ReplayRecord.combiningProcesses([
      replay(4, corrupted: []), replay(2, corrupted: [7]), replay(6, corrupted: []),
    ])
    #expect(replays.count == 1 && replays[0].nanosecondsPerOperation == 4 && replays[0].overhead == 2)
    #expect(replays[0].corruptedOperations == [7])
  }

  @Test("fault under a backend without hooks is not run and exits 0")
  func undetectedFault() async {
    await #expect(processExitsWith: .success) {
      SwiftMallocCommand.main(["fault", "overflow", "--backend", "malloc"])
    }
  }
}
