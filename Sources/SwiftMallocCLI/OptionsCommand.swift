//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser

#if Pymalloc
  import PymallocBackend
#endif

/// `swiftmalloc options`: pymalloc's options table (`PymallocOptions.table`), which the README shows.
struct OptionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "options",
    abstract: "List pymalloc's options: environment variable, default, values, effect and trade-off.")

  @Option(help: "Output format: markdown (as the README shows it) or json.")
  var format: Format = .markdown

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case markdown
    case json
  }

  func run() throws {
    #if Pymalloc
      switch format {
      case .markdown: FileDescriptorOutput.standardOutput.write(PymallocOptions.markdownTable)
      case .json: FileDescriptorOutput.standardOutput.write(try BenchTable.json(PymallocOptions.table.map(Row.init)))
      }
    #else
      throw ValidationError("pymalloc is not compiled in: built without the Pymalloc trait")
    #endif
  }

  #if Pymalloc
    /// One option as JSON.
    struct Row: Encodable {
      var environmentVariable, defaultValue, values, effect, trade: String
      init(_ option: PymallocOption) {
        environmentVariable = option.environmentVariable
        defaultValue = option.defaultValue
        values = option.values
        effect = option.effect
        trade = option.trade
      }
    }
  #endif
}
