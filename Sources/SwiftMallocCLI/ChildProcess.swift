//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation

/// Runs this executable again with hidden arguments, so each backend measures in a process of its own.
enum ChildProcess {
  /// Runs `/proc/self/exe arguments…` with `environment` added to this process's, and returns its standard output;
  /// a failed child is an error naming it.
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Data {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    return try _output(of: executable, arguments, environment: environment) { status in
      ChildProcessError(arguments: arguments, status: status)
    }
  }

  /// Runs a helper program (not this executable), `arguments[0]` with the rest as its arguments, in this process's
  /// environment, and returns its standard output.
  static func runProgram(_ arguments: [String]) throws -> Data {
    try _output(of: URL(fileURLWithPath: arguments[0]), Array(arguments.dropFirst()), environment: nil) { status in
      ProgramRunError(arguments: arguments, reason: "exit status \(status)")
    }
  }

  /// Runs `executable arguments…` to completion (`environment` nil: this process's) and returns its standard
  /// output; a child that does not exit with status 0 throws `failure(status)`.
  private static func _output(
    of executable: URL, _ arguments: [String], environment: [String: String]?, failure: (Int32) -> Error
  ) throws -> Data {
    let child = Process()
    child.executableURL = executable
    child.arguments = arguments
    child.environment = environment
    let output = Pipe()
    child.standardOutput = output
    try child.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    child.waitUntilExit()
    guard child.terminationReason == .exit, child.terminationStatus == 0 else { throw failure(child.terminationStatus) }
    return data
  }

  /// Decodes one JSON value per output line.
  static func records<Record: Decodable>(_ type: Record.Type, from data: Data) throws -> [Record] {
    try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Record.self, from: Data($0)) }
  }
}

/// A child that exited abnormally.
struct ChildProcessError: Error, CustomStringConvertible {
  var arguments: [String]
  var status: Int32
  var description: String { "child `swiftmalloc \(arguments.joined(separator: " "))` failed with status \(status)" }
}
