//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads
import ArgumentParser
import Foundation

/// `swiftmalloc stats`: run one workload keeping its blocks live, then print the backend's report.
struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Allocate a workload's blocks, keep them live, and print the backend's statistics report.",
    discussion: "For pymalloc the report is CPython's sys._debugmallocstats() text.")

  @OptionGroup var backendOptions: BackendOptions

  @Option(help: "Workload whose allocations stay live: batch (the size mix) or phase (after its frees).")
  var workload: StatsWorkload = .batch

  @Option(help: "Number of blocks.")
  var objects: Int = 200_000

  @Option(help: "Output format: text or json.")
  var format: StatsFormat = .text

  func validate() throws {
    guard objects > 0 else { throw ValidationError("--objects must be positive, got \(objects)") }
  }

  func run() throws {
    let selection = try backendOptions.selection()
    let output = try withAllocator(
      named: selection.configuration.name, LiveWorkloadReport(workload: workload, objects: objects, format: format))
    FileDescriptorOutput.standardOutput.write(output)
  }
}

/// The workloads `stats` can leave live.
enum StatsWorkload: String, ExpressibleByArgument, CaseIterable {
  case batch
  case phase
}

/// The formats `stats` prints.
enum StatsFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}

/// Allocates the size mix (and, for `phase`, frees the blocks over 64 bytes), reports, then frees the rest.
struct LiveWorkloadReport: AllocatorJob {
  let workload: StatsWorkload
  let objects: Int
  let format: StatsFormat

  func run<A: Allocator>(_ allocator: A) -> String {
    let sizes = SizeMix.sizes(count: objects)
    var blocks = sizes.map { allocator.allocate(byteCount: $0) }
    if workload == .phase {
      for (index, size) in sizes.enumerated() where size > 64 {
        allocator.deallocate(blocks[index])
        blocks[index] = nil
      }
    }
    defer { blocks.forEach(allocator.deallocate) }
    switch format {
    case .text:
      return allocator.statisticsReport()
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      return String(decoding: (try? encoder.encode(allocator.statistics())) ?? Data(), as: UTF8.self) + "\n"
    }
  }
}
