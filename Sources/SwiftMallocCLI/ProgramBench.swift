//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation

/// `swiftmalloc bench --programs`: the real programs of Examples/Programs/programs.sh timed as whole processes on
/// every ``ProgramAllocator``, interleaved, medians over the processes, ratios to glibc.
///
/// Peak RSS is GNU time's `%M`: `wait4`'s `ru_maxrss` of the program's process tree, taken by `/usr/bin/time`
/// because a child spawned straight from this process would inherit this process's own high-water mark (glibc's
/// `posix_spawn` shares its memory until the exec, and Linux carries the old high-water mark across it).
struct ProgramBench {
  /// One run of one program.
  struct Usage {
    var wallSeconds: Double
    var peakResidentBytes: Int
  }

  /// Examples/Programs/programs.sh.
  var script: String
  /// Where the inputs are generated (once, untimed).
  var workDirectory: String
  var allocators: [ProgramAllocator]
  var processes: Int

  /// Generates the inputs, then runs every program × allocator `processes` times, every job once before any twice.
  func measure() throws -> ProgramBenchDocument {
    _ = try ChildProcess.runProgram(["/bin/bash", script, "prepare", workDirectory])
    let names = try ChildProcess.runProgram(["/bin/bash", script, "names"])
    let programs = String(decoding: names, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init)
    let jobs = programs.flatMap { program in
      allocators.filter { !$0.pythonOnly || program.hasPrefix("python-") }.map { (program, $0) }
    }
    var usages: [String: [Usage]] = [:]
    for process in 1...processes {
      for (index, (program, allocator)) in jobs.enumerated() {
        let job = "\(program) on \(allocator.name) (process \(process) of \(processes))"
        FileDescriptorOutput.standardError.write("bench --programs [\(index + 1)/\(jobs.count)] \(job)…\n")
        let usage = try run(program, on: allocator)
        usages[key(program, allocator.name), default: []].append(usage)
      }
    }
    let records = jobs.map { program, allocator in
      record(program, allocator.name, usages[key(program, allocator.name)]!)
    }
    return ProgramBenchDocument(
      machine: .current(), command: CommandLine.arguments.joined(separator: " "), processes: processes,
      records: Self.withRatios(records))
  }

  /// Runs `program` once under GNU time, which writes its peak RSS in KiB to a file of the work directory.
  private func run(_ program: String, on allocator: ProgramAllocator) throws -> Usage {
    let residentFile = "\(workDirectory)/peak-rss.txt"
    let wall = try _ProgramSpawn.run(
      ["/usr/bin/time", "-f", "%M", "-o", residentFile, "/bin/bash", script, "run", program, workDirectory],
      environment: environment(adding: allocator))
    let kibibytes = (try? String(contentsOfFile: residentFile, encoding: .utf8))
      .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    guard let kibibytes else { throw ProgramRunError(arguments: [program], reason: "no peak RSS in \(residentFile)") }
    return Usage(wallSeconds: wall, peakResidentBytes: kibibytes * 1024)
  }

  /// This process's environment without any preload or allocator choice of its own, plus the allocator's.
  private func environment(adding allocator: ProgramAllocator) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    for name in ["LD_PRELOAD", "SWIFTMALLOC", "PYTHONMALLOC"] { environment[name] = nil }
    return environment.merging(allocator.environment) { $1 }
  }

  private func key(_ program: String, _ allocator: String) -> String { "\(program)|\(allocator)" }

  private func record(_ program: String, _ allocator: String, _ usages: [Usage]) -> ProgramRecord {
    ProgramRecord(
      program: program, allocator: allocator, wallSeconds: usages.map(\.wallSeconds).median,
      processWallSeconds: usages.map(\.wallSeconds), peakResidentBytes: usages.map(\.peakResidentBytes).median)
  }

  /// Each record's wall time and peak RSS over glibc's for the same program.
  static func withRatios(_ records: [ProgramRecord]) -> [ProgramRecord] {
    records.map { record in
      var record = record
      if let glibc = records.first(where: { $0.program == record.program && $0.allocator == "glibc" }) {
        record.wallRatio = glibc.wallSeconds > 0 ? record.wallSeconds / glibc.wallSeconds : nil
        record.residentRatio =
          glibc.peakResidentBytes > 0 ? Double(record.peakResidentBytes) / Double(glibc.peakResidentBytes) : nil
      }
      return record
    }
  }
}
