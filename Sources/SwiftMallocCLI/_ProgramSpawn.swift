//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The system calls of the program benchmark: one program started with `posix_spawn` and reaped with `waitpid`,
/// for its wall time.
enum _ProgramSpawn {
  /// Runs `arguments` (the first is a path) with `environment` alone, standard output and error to /dev/null, waits
  /// for it and returns its wall time in seconds; a program that does not exit 0 is an error naming it.
  static func run(_ arguments: [String], environment: [String: String]) throws -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let start = monotonicSeconds()
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
    guard spawned == 0 else { throw ProgramRunError(arguments: arguments, reason: String(cString: strerror(spawned))) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let wall = monotonicSeconds() - start
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
      throw ProgramRunError(arguments: arguments, reason: "wait status \(status)")
    }
    return wall
  }

  private static func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }
}

/// A benchmarked program that could not start or did not exit 0.
struct ProgramRunError: Error, CustomStringConvertible {
  var arguments: [String]
  var reason: String
  var description: String { "program `\(arguments.joined(separator: " "))` failed: \(reason)" }
}
