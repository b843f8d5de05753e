//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads
import ArgumentParser
import Foundation

#if CPythonReference
  import CPythonReferenceBackend
#endif

/// The heap every bench and replay child holds before its workload: `cpython` (the reference interpreter's own
/// heap after `Py_InitializeEx(0)`, read from it in this run) or `none` (a fresh allocator).
enum ResidentChoice: String, ExpressibleByArgument, CaseIterable, Codable {
  case cpython
  case none

  /// `cpython` when the reference is built, else `none`.
  static var buildDefault: ResidentChoice {
    BuildConfiguration.cpythonReferenceCompiledIn ? .cpython : .none
  }

  /// The profile to build, read from a `resident-profile` child for `cpython`.
  func profile() throws -> ResidentProfile {
    switch self {
    case .none: return .empty
    case .cpython:
      guard BuildConfiguration.cpythonReferenceCompiledIn else {
        throw ValidationError("--resident cpython needs the cpython reference: enable the CPythonReference trait")
      }
      let output = String(decoding: try ChildProcess.run(["resident-profile"]), as: UTF8.self)
      guard let profile = ResidentProfile(output.trimmingCharacters(in: .newlines)), !profile.rows.isEmpty else {
        throw ValidationError("the cpython reference reported no resident heap: '\(output)'")
      }
      return profile
    }
  }

  /// The child arguments that pass `profile` on to a child of `backend` (none for the cpython reference, which has
  /// it).
  static func childArguments(_ profile: ResidentProfile, backend: String) -> [String] {
    profile.rows.isEmpty || backend == "cpython" ? [] : ["--resident", profile.description]
  }
}

extension ResidentProfile: ExpressibleByArgument {}

/// The hidden `resident-profile` command: the `cpython` reference's heap after start-up, as a ``ResidentProfile``.
struct ResidentProfileCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "resident-profile", shouldDisplay: false)

  func run() throws {
    #if CPythonReference
      let report = CPythonAllocator().statisticsReport()
      guard let profile = ResidentProfile(mallocStatisticsReport: report) else {
        throw ValidationError("CPython's malloc statistics have no class table")
      }
      FileDescriptorOutput.standardOutput.write(profile.description + "\n")
    #else
      throw ValidationError("the cpython reference is not built: enable the CPythonReference trait")
    #endif
  }
}
