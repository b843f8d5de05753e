//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import PymallocBackend

@Suite("pymalloc's options table: one declaration per option, the README generated from it")
struct OptionsTableTests {
  @Test("the README's options table is the table's Markdown, between its markers")
  func readmeTable() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    let begin = try #require(text.range(of: "<!-- swiftmalloc options -->\n"))
    let end = try #require(text.range(of: "<!-- end of swiftmalloc options -->"))
    #expect(String(text[begin.upperBound..<end.lowerBound]) == PymallocOptions.markdownTable)
  }

  @Test("every environment variable is declared once, and each declared value parses")
  func declarations() {
    let variables = PymallocOptions.table.map(\.environmentVariable)
    #expect(Set(variables).count == variables.count)
    let settings = [
      "SWIFTMALLOCSTATS": "1", "SWIFTMALLOC_PURGE": "64", "SWIFTMALLOC_RETAINED_ARENAS": "3",
      "SWIFTMALLOC_KEEP_EMPTY_POOL": "1", "SWIFTMALLOC_REALLOC_HEADROOM": "1", "SWIFTMALLOC_HARDEN": "1",
      "SWIFTMALLOC_RANDOM_CARVING": "1",
    ]
    #expect(Set(settings.keys) == Set(variables))
    let options = PymallocOptions.fromEnvironment(settings)
    #expect(options.printsStatisticsOnNewArena && options.purge == .afterEmptyPools(64))
    #expect(options.retainedEmptyArenas == 3 && options.keepsEmptyPoolPerClass && options.reallocationHeadroom)
    #expect(options.hardened && options.carvesInRandomOrder)
  }
}
