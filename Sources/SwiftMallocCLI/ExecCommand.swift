//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// `swiftmalloc exec [--backend NAME] [--stats] -- PROGRAM ARGS…`: runs any program with the process allocator
/// (`libswiftmalloc-preload.so`, next to this binary) preloaded; the program replaces this process, so its exit
/// status is the command's.
struct ExecCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exec",
    abstract: "Run a program with libswiftmalloc-preload.so as its allocator (LD_PRELOAD), its exit status passed on.",
    discussion: """
      The library is the one next to this binary (swift build builds both; swift build -c release --product \
      swiftmalloc-preload for the release one). Backends: \(processBackends.joined(separator: ", ")); \
      without --backend the program's SWIFTMALLOC, else pymalloc_mt.
      """)

  /// The backends the process allocator serves (its `_ProcessBackend` names).
  static let processBackends = [
    "default", "pymalloc_mt", "pymalloc", "malloc", "pymalloc_mt_debug", "pymalloc_debug", "malloc_debug",
  ]

  @Option(help: "The process allocator's backend (sets SWIFTMALLOC).")
  var backend: String?

  @Flag(help: "Print the _debugmallocstats report at exit (sets SWIFTMALLOCSTATS=1).")
  var stats = false

  @Argument(parsing: .captureForPassthrough, help: "The program and its arguments (after --).")
  var command: [String] = []

  func validate() throws {
    if let backend, !Self.processBackends.contains(backend) {
      throw ValidationError(
        "unknown backend '\(backend)' for exec; the process allocator accepts: "
          + Self.processBackends.joined(separator: ", "))
    }
    if program == nil { throw ValidationError("exec needs a program: swiftmalloc exec [options] -- PROGRAM ARGS…") }
  }

  func run() throws {
    let library = try Self.libraryPath()
    let preload = getenv("LD_PRELOAD").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    setenv("LD_PRELOAD", preload.map { library + ":" + $0 } ?? library, 1)
    if let backend { setenv("SWIFTMALLOC", backend, 1) }
    if stats { setenv("SWIFTMALLOCSTATS", "1", 1) }
    let arguments = Array(command.drop(while: { $0 == "--" }))
    var cArguments = arguments.map { strdup($0) } + [nil]
    execvp(cArguments[0]!, &cArguments)
    let reason = String(cString: strerror(errno))
    throw ExecFailure(message: "cannot run '\(arguments[0])': \(reason)")
  }

  /// The program to run: the first word after an optional `--`.
  private var program: String? { command.first(where: { $0 != "--" }) }

  /// `libswiftmalloc-preload.so` in this binary's directory.
  static func libraryPath() throws -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { throw ExecFailure(message: "cannot find this binary (/proc/self/exe)") }
    let binary = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let directory = binary.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let library = directory + "/libswiftmalloc-preload.so"
    guard access(library, R_OK) == 0 else {
      throw ExecFailure(
        message: "no \(library): build it with swift build --product swiftmalloc-preload (add -c release for the "
          + "release binary)")
    }
    return library
  }

  /// Why the program could not be started: exit status 127, as a shell's.
  struct ExecFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}
