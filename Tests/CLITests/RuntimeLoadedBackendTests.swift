//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import Testing

@testable import SwiftMallocCLI

/// The `backends` catalog entry named `name`.
func catalogEntry(_ name: String) throws -> BackendCatalog.Entry {
  let catalog = BackendCatalog(selection: try Registry.select(flag: nil, environment: [:]))
  return try #require(catalog.backends.first { $0.name == name })
}

@Suite("mimalloc and tcmalloc, loaded at run time: listed, benchmarked, or skipped with the reason")
struct RuntimeLoadedBackendTests {
  @Test("backends lists mimalloc with its families and tcmalloc as a reference", .enabled(if: tcmallocLoads))
  func catalog() throws {
    let tcmalloc = try catalogEntry("tcmalloc")
    #expect(tcmalloc.compiledIn && tcmalloc.families.isEmpty && tcmalloc.note.hasPrefix("reference: gperftools'"))
    #expect(benchmarkableBackends.contains("tcmalloc"))
    guard BuildConfiguration.isCompiledIn(.mimalloc) else { return }
    let mimalloc = try catalogEntry("mimalloc")
    #expect(mimalloc.families == ["raw": "malloc", "mem": "mimalloc", "object": "mimalloc"])
    #expect(try catalogEntry("mimalloc_debug").families["object"] == "mimalloc+debug")
    #expect(benchmarkableBackends.contains("mimalloc") && skippedBackends.isEmpty)
  }

  @Test("bench-child and replay-child run on tcmalloc and print their records", .enabled(if: tcmallocLoads))
  func tcmallocChildren() async throws {
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      let trace = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/traces/sample-git.mtrace.gz").path
      SwiftMallocCommand.main([
        "bench-child", "--backend", "tcmalloc", "--workload", "pair", "--objects", "1000", "--rounds", "1",
        "--resident", "16:1:22:999",
      ])
      SwiftMallocCommand.main(["replay-child", trace, "--backend", "tcmalloc"])
    }
    let lines = (result?.standardOutputContent ?? []).split(separator: UInt8(ascii: "\n")).map { Data($0) }
    try #require(lines.count == 2)
    let bench = try JSONDecoder().decode(BenchRecord.self, from: lines[0])
    #expect(bench.backend == "tcmalloc" && bench.operations == 1000 && bench.nanosecondsPerOperation > 0)
    let replay = try JSONDecoder().decode(ReplayRecord.self, from: lines[1])
    #expect(replay.operations > 400 && replay.corruptedOperations.isEmpty && replay.failedOperations == 0)
  }

  @Test("A tcmalloc that does not load is skipped by bench in one line, and refused by its child with the reason")
  func tcmallocUnloadable() async {
    let result = await #expect(processExitsWith: .exitCode(2), observing: [\.standardOutputContent, \.standardErrorContent]) {
      setenv("SWIFTMALLOC_TCMALLOC_LIBRARY", "/nonexistent/libtcmalloc_minimal.so.4", 1)
      let line = "\(benchmarkableBackends.contains("tcmalloc")) \(skippedBackends.map(\.line).joined(separator: "|"))\n"
      FileHandle.standardOutput.write(Data(line.utf8))
      SwiftMallocCommand.main([
        "bench-child", "--backend", "tcmalloc", "--workload", "pair", "--objects", "1000", "--rounds", "1",
      ])
    }
    let stdout = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
    #expect(stdout.hasPrefix("false tcmalloc skipped: /nonexistent/libtcmalloc_minimal.so.4: cannot open"), "\(stdout)")
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(stderr.hasPrefix("swiftmalloc: error: tcmalloc is unavailable: /nonexistent/libtcmalloc_minimal.so.4"))
  }

  @Test("A mimalloc that does not load: --backend mimalloc exits 2 naming the reason; bench skips it in one line")
  func mimallocUnloadable() async throws {
    try #require(BuildConfiguration.isCompiledIn(.mimalloc))
    let result = await #expect(processExitsWith: .exitCode(2), observing: [\.standardOutputContent, \.standardErrorContent]) {
      setenv("SWIFTMALLOC_MIMALLOC_LIBRARY", "/nonexistent/libmimalloc.so.2", 1)
      let entry = try? catalogEntry("mimalloc")
      let catalogLine = "\(benchmarkableBackends.contains("mimalloc")) \(entry?.families.isEmpty == true) \(entry?.note ?? "-")"
      let skippedLine = skippedBackends.map(\.line).joined(separator: "|")
      FileHandle.standardOutput.write(Data((catalogLine + "\n" + skippedLine + "\n").utf8))
      SwiftMallocCommand.main(["backends", "--backend", "mimalloc"])
    }
    let stdout = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self).split(separator: "\n")
    #expect(stdout.first?.hasPrefix("false true unavailable: /nonexistent/libmimalloc.so.2: cannot open") == true)
    #expect(stdout.dropFirst().first?.hasPrefix("mimalloc skipped: /nonexistent/libmimalloc.so.2: cannot open") == true)
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(
      stderr.hasPrefix(
        "swiftmalloc: error: --backend mimalloc: mimalloc is unavailable in this process: /nonexistent/libmimalloc.so.2"),
      "\(stderr)")
    #expect(stderr.split(separator: "\n").count == 1)
  }
}
