//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The backend a process runs with, and who chose it.
public struct BackendSelection: Codable, Sendable, Equatable {
  /// Who decided the backend: the flag beats the environment, which beats the build.
  public enum Source: String, Codable, Sendable {
    /// `--backend NAME`.
    case flag = "--backend"
    /// `SWIFTMALLOC=NAME`.
    case environment = "SWIFTMALLOC"
    /// Neither was given: the build's default.
    case buildDefault = "build default"
  }

  /// The name as given (`default`, `debug`, `pymalloc_debug`, …).
  public var requestedName: String
  /// What the name resolved to.
  public var configuration: BackendConfiguration
  /// Who chose it.
  public var source: Source

  /// Creates a selection.
  public init(requestedName: String, configuration: BackendConfiguration, source: Source) {
    self.requestedName = requestedName
    self.configuration = configuration
    self.source = source
  }
}
