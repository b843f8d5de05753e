//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A backend name the registry refuses, with a message naming the value and the names this build accepts.
public struct BackendSelectionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Why the name was refused.
  public enum Reason: Sendable, Equatable {
    /// No backend has this name.
    case unknown
    /// The backend exists but this build left it out (CPython: "built without pymalloc").
    case notCompiledIn(BaseBackend)
    /// The name is a benchmark-only reference, not a configuration of the families.
    case referenceOnly
    /// The backend is compiled in but cannot run in this process: its library did not load (the reason).
    case unavailable(BaseBackend, String)
  }

  /// The refused value.
  public var name: String
  /// Why it was refused.
  public var reason: Reason
  /// Where the value came from.
  public var source: BackendSelection.Source?
  /// The names this build accepts.
  public var acceptedNames: [String]

  /// Creates an error.
  public init(name: String, reason: Reason, source: BackendSelection.Source?, acceptedNames: [String]) {
    self.name = name
    self.reason = reason
    self.source = source
    self.acceptedNames = acceptedNames
  }

  /// One line: where the value came from, why it is refused, and the accepted names.
  public var description: String {
    let origin: String
    switch source {
    case .flag: origin = "--backend \(name): "
    case .environment: origin = "SWIFTMALLOC=\(name): "
    case .buildDefault, nil: origin = ""
    }
    let problem: String
    switch reason {
    case .unknown:
      problem = "unknown backend '\(name)'"
    case .notCompiledIn(let base):
      problem = "this build was built without \(base.rawValue) (enable the \(base.trait ?? base.rawValue) trait)"
    case .referenceOnly:
      let reference = name == "cpython" ? "CPython" : name
      problem = "'\(name)' is the benchmark-only \(reference) reference, usable with `swiftmalloc bench` and `replay` only"
    case .unavailable(let base, let reason):
      problem = "\(base.rawValue) is unavailable in this process: \(reason)"
    }
    return origin + problem + "; this build accepts: " + acceptedNames.joined(separator: ", ")
  }
}
