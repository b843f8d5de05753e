//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// `swiftmalloc`: inspect, exercise and benchmark the allocator backends.
@main
struct SwiftMallocCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "swiftmalloc",
    abstract: "pymalloc, glibc malloc, jemalloc and mimalloc behind one protocol: inspect, exercise, benchmark.",
    discussion: """
      The backend comes from --backend NAME, else the SWIFTMALLOC environment variable, else the build default.
      Names are PYTHONMALLOC's: default, debug, malloc, malloc_debug, pymalloc, pymalloc_debug, jemalloc, \
      jemalloc_debug, mimalloc, mimalloc_debug.
      """,
    subcommands: [
      BackendsCommand.self, StatsCommand.self, BenchCommand.self, BenchChildCommand.self, ReplayCommand.self,
      ReplayChildCommand.self, ResidentProfileCommand.self, FaultCommand.self, OptionsCommand.self, ExecCommand.self,
    ])

  /// Parses the process arguments and runs.
  static func main() { main(nil) }

  /// Parses and runs; any usage error (an unknown backend included) exits 2 with one line on stderr.
  static func main(_ arguments: [String]?) {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch let failure as ExecCommand.ExecFailure {
      FileDescriptorOutput.standardError.write("swiftmalloc: error: \(failure.message)\n")
      _exit(127)
    } catch {
      if exitCode(for: error) == .success { exit(withError: error) }
      let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
      FileDescriptorOutput.standardError.write("swiftmalloc: error: \(message)\n")
      _exit(2)
    }
  }
}
