//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What ``FreedMemoryProgram``s did to hardened heaps and what the heaps did about it.
public struct FreedMemoryOutcome: Equatable, Sendable {
  /// Writes into freed blocks.
  public var writes = 0
  /// Corruptions the heaps reported (each write is caught, or harmless, or both).
  public var reports = 0
  /// Harm done: a block handed out over a live one, outside a block start or misaligned, a live block's bytes
  /// changed, a valid request refused; each names the program step.
  public var violations: [String] = []

  /// An empty outcome.
  public init() {}

  /// Adds `other`'s counts and violations to these.
  public mutating func add(_ other: FreedMemoryOutcome) {
    writes += other.writes
    reports += other.reports
    violations += other.violations
  }
}
