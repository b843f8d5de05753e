//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser
import Foundation

/// The options of `bench --programs`.
struct ProgramBenchOptions: ParsableArguments {
  @Flag(
    name: .customLong("programs"),
    help: ArgumentHelp(
      "Time real programs (Examples/Programs/programs.sh) as whole processes on glibc, jemalloc, mimalloc, "
        + "tcmalloc and ours preloaded, instead of the backends' workloads."))
  var enabled = false

  @Option(help: "The preload library ours runs as (with --programs).")
  var preload = ".build/release/libswiftmalloc-preload.so"

  @Option(help: "The programs script (with --programs).")
  var programsScript = "Examples/Programs/programs.sh"

  @Option(help: "Where the programs' inputs are generated (with --programs).")
  var programsDirectory = ".build/bench-programs"
}

extension BenchCommand {
  /// `bench --programs`: measures (or loads --from), then writes the JSON, the chart and the table.
  func runPrograms() throws {
    let document: ProgramBenchDocument = try from.map { try loadDocument($0) } ?? measurePrograms()
    let json = try BenchTable.json(document)
    if let jsonOutput { try json.write(toFile: jsonOutput, atomically: true, encoding: .utf8) }
    if let chart { try ProgramChart.svg(document).write(toFile: chart, atomically: true, encoding: .utf8) }
    switch format {
    case .table: FileDescriptorOutput.standardOutput.write(ProgramTable.table(document))
    case .csv: FileDescriptorOutput.standardOutput.write(ProgramTable.csv(document))
    case .json: FileDescriptorOutput.standardOutput.write(json)
    case .markdown: FileDescriptorOutput.standardOutput.write(ProgramTable.markdown(document))
    }
  }

  private func measurePrograms() throws -> ProgramBenchDocument {
    guard FileManager.default.isReadableFile(atPath: programs.preload) else {
      throw ValidationError("bench --programs: no preload library at '\(programs.preload)' (swift build -c release "
        + "--product swiftmalloc-preload)")
    }
    guard FileManager.default.isReadableFile(atPath: programs.programsScript) else {
      throw ValidationError("bench --programs: no programs script at '\(programs.programsScript)'")
    }
    let preload = URL(fileURLWithPath: programs.preload).standardizedFileURL.path
    let bench = ProgramBench(
      script: programs.programsScript, workDirectory: programs.programsDirectory,
      allocators: ProgramAllocator.all(preload: preload), processes: children.processes)
    return try bench.measure()
  }
}
