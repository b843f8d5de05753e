//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import SwiftMallocCLI

@Suite("swiftmalloc bench --programs")
struct ProgramBenchTests {
  /// A programs script of the shape programs.sh has: `names` lists a plain program and a python- one, `run` prints
  /// the allocator variable it sees into the work folder and fails for `broken`.
  private func fakeScript(in folder: String) throws -> String {
    let path = "\(folder)/programs.sh"
    try """
      case $1 in
        prepare) mkdir -p "$2" ;;
        names) echo touch python-fake ;;
        run) [ "$2" != broken ] && echo "${FAKE_ALLOCATOR:-none}" >> "$3/$2.seen" ;;
      esac
      """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  private func temporaryFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("program-bench-\(UUID())").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test("every program runs on every allocator, processes times, a Python-only allocator on python-* alone")
  func measuresEveryJob() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let allocators = [
      ProgramAllocator(name: "glibc", environment: [:]),
      ProgramAllocator(name: "other", environment: ["FAKE_ALLOCATOR": "other"]),
      ProgramAllocator(name: "python-only", environment: ["FAKE_ALLOCATOR": "python-only"], pythonOnly: true),
    ]
    let bench = ProgramBench(
      script: try fakeScript(in: folder), workDirectory: "\(folder)/work", allocators: allocators, processes: 2)
    let document = try bench.measure()
    #expect(document.records.map { "\($0.program)/\($0.allocator)" }
      == ["touch/glibc", "touch/other", "python-fake/glibc", "python-fake/other", "python-fake/python-only"])
    for record in document.records {
      #expect(record.processWallSeconds.count == 2 && record.wallSeconds > 0 && record.peakResidentBytes > 0)
      #expect(record.wallRatio != nil && record.residentRatio != nil)
    }
    let seen = try String(contentsOfFile: "\(folder)/work/python-fake.seen", encoding: .utf8)
    #expect(seen.split(separator: "\n").sorted() == ["none", "none", "other", "other", "python-only", "python-only"])
  }

  @Test("a program that exits non-zero is an error naming it")
  func failingProgram() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let script = try fakeScript(in: folder)
    let onlyBroken = try String(contentsOfFile: script, encoding: .utf8)
      .replacingOccurrences(of: "echo touch python-fake", with: "echo broken")
    try onlyBroken.write(toFile: script, atomically: true, encoding: .utf8)
    let bench = ProgramBench(
      script: script, workDirectory: "\(folder)/work", allocators: [ProgramAllocator(name: "glibc", environment: [:])],
      processes: 1)
    #expect { try bench.measure() } throws: { "\($0)".contains("run broken") }
  }

  @Test("ratios are to glibc's record of the same program; the table shows them")
  func ratiosAndTable() {
    func record(_ program: String, _ allocator: String, _ wall: Double, _ resident: Int) -> ProgramRecord {
      ProgramRecord(
        program: program, allocator: allocator, wallSeconds: wall, processWallSeconds: [wall],
        peakResidentBytes: resident)
    }
    let records = ProgramBench.withRatios([
      record("sort", "glibc", 2, 100 << 20), record("sort", "pymalloc", 1, 150 << 20), record("lua", "pymalloc", 1, 1),
    ])
    #expect(records[1].wallRatio == 0.5 && records[1].residentRatio == 1.5)
    #expect(records[0].wallRatio == 1 && records[2].wallRatio == nil)
    let document = ProgramBenchDocument(
      machine: .current(), command: "test", processes: 1, records: records)
    let table = ProgramTable.table(document)
    #expect(table.contains("sort") && table.contains("0.50×") && table.contains("1.50×"))
    #expect(table.contains("150.0 MiB"))
    #expect(ProgramTable.markdown(document).contains("| sort | 2.00 s, 100.0 MiB | 0.50×, 1.50× |"))
    #expect(ProgramChart.svg(document).contains(">sort</text>"))
  }
}
