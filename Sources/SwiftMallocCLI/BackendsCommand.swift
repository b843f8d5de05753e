//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser
import Foundation

/// `swiftmalloc backends`: every name this build knows, whether it is compiled in, and who serves each family.
struct BackendsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backends",
    abstract: "List every backend name, whether it is compiled in, and the allocator serving each family.")

  @OptionGroup var backendOptions: BackendOptions

  @Option(help: "Output format: table or json.")
  var format: OutputFormat = .table

  func run() throws {
    let selection = try backendOptions.selection()
    let catalog = BackendCatalog(selection: selection)
    switch format {
    case .table: FileDescriptorOutput.standardOutput.write(catalog.table())
    case .json: FileDescriptorOutput.standardOutput.write(try catalog.json())
    }
  }
}

/// The formats the listing commands print.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table
  case json
}
