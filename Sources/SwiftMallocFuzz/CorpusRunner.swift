//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if !Fuzzing
  import AllocatorFuzzing
  import AllocatorWorkloads
  import Foundation

  /// `swiftmalloc-fuzz` without libFuzzer: writes the seed corpus, reruns saved inputs, or runs random programs
  /// through the same differential oracle.
  ///
  ///     swiftmalloc-fuzz seed-corpus DIR TRACE…     one input per 256 operations of each mtrace log (64 at most)
  ///     swiftmalloc-fuzz run PATH…                  every file (directories: every file inside)
  ///     swiftmalloc-fuzz random PROGRAMS [SEED]     random byte strings of 64…4096 bytes
  @main
  struct CorpusRunner {
    static let usage = "usage: swiftmalloc-fuzz seed-corpus DIR TRACE… | run PATH… | random PROGRAMS [SEED]"

    static func main() {
      let arguments = Array(CommandLine.arguments.dropFirst())
      do {
        switch (arguments.first, arguments.count) {
        case ("seed-corpus", 3...): try writeSeedCorpus(to: arguments[1], from: arguments[2...])
        case ("run", 2...): try runInputs(Array(arguments.dropFirst()))
        case ("random", 2...3): try runRandom(arguments[1], seed: arguments.count == 3 ? arguments[2] : "1")
        default: throw CorpusRunnerError(usage)
        }
      } catch {
        FuzzReport.write("swiftmalloc-fuzz: \(error)")
        exit(2)
      }
    }

    static func writeSeedCorpus(to directory: String, from traces: ArraySlice<String>) throws {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      var written = 0
      for trace in traces {
        let log = try MtraceLog(contentsOf: trace)
        let name = URL(fileURLWithPath: trace).lastPathComponent.split(separator: ".").first ?? "trace"
        for start in stride(from: 0, to: min(log.operations.count, 64 * 256), by: 256) {
          let chunk = log.operations[start..<min(start + 256, log.operations.count)]
          let bytes = FuzzProgram(replaying: chunk).encoded()
          try Data(bytes).write(to: URL(fileURLWithPath: "\(directory)/\(name)-\(start / 256)"))
          written += 1
        }
      }
      FuzzReport.write("swiftmalloc-fuzz: \(written) seed inputs in \(directory)")
    }

    static func runInputs(_ paths: [String]) throws {
      var campaign = FuzzCampaign.everyBackend()
      var problems = 0
      for file in try inputFiles(paths) {
        let found = campaign.run(FuzzProgram(decoding: try Data(contentsOf: URL(fileURLWithPath: file))))
        found.forEach { FuzzReport.write("\(file): \($0)") }
        problems += found.count
      }
      finish(campaign, problems: problems)
    }

    static func runRandom(_ programs: String, seed: String) throws {
      guard let programs = Int(programs), programs > 0, let seed = UInt64(seed) else {
        throw CorpusRunnerError("random: PROGRAMS must be a positive count and SEED an unsigned integer")
      }
      var generator = XorShift64(seed: seed == 0 ? XorShift64.specSeed : seed)
      var campaign = FuzzCampaign.everyBackend()
      var problems = 0
      for index in 0..<programs {
        let length = 64 + Int(generator.next() % 4033)
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 29) }
        let found = campaign.run(FuzzProgram(decoding: bytes))
        found.forEach { FuzzReport.write("random program \(index) of seed \(seed): \($0)") }
        problems += found.count
      }
      finish(campaign, problems: problems)
    }

    static func inputFiles(_ paths: [String]) throws -> [String] {
      try paths.flatMap { path -> [String] in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
          throw CorpusRunnerError("run: no such file or directory '\(path)'")
        }
        guard isDirectory.boolValue else { return [path] }
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { "\(path)/\($0)" }
      }
    }

    static func finish(_ campaign: FuzzCampaign, problems: Int) {
      FuzzReport.write(FuzzReport.summary(of: campaign, problems: problems))
      exit(problems == 0 ? 0 : 1)
    }
  }

  /// A usage or input error, printed as its message.
  struct CorpusRunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }
#endif
