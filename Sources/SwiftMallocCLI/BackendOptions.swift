//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser
import Foundation

/// The global `--backend NAME` option, resolved against `SWIFTMALLOC` and the build default.
struct BackendOptions: ParsableArguments {
  @Option(name: .long, help: "Backend name (beats SWIFTMALLOC, which beats the build default).")
  var backend: String?

  /// The selection, or a usage error naming the refused value and the accepted names.
  func selection() throws -> BackendSelection {
    do {
      return try Registry.select(flag: backend, environment: ProcessInfo.processInfo.environment)
    } catch {
      throw ValidationError(error.description)
    }
  }
}
