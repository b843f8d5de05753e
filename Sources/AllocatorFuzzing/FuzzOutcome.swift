//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What one backend did with a ``FuzzProgram``: the result of each call, and every broken promise.
public struct FuzzOutcome: Equatable, Sendable {
  /// The backend's name.
  public var backend: String
  /// For each operation, whether it returned a block (`false` for frees and refused calls). Correct backends
  /// agree on every entry: valid requests succeed and invalid ones return `nil`.
  public var results: [Bool]
  /// Broken promises, each naming the operation number: a damaged pattern, a misaligned or short block, a
  /// non-zero zeroed block, a refused valid request, an accepted invalid one, statistics that do not add up.
  public var violations: [String]

  /// An outcome with no results yet.
  public init(backend: String) {
    self.backend = backend
    self.results = []
    self.violations = []
  }
}
