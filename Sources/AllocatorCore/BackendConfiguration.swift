//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A resolved backend name: the base allocator and whether the debug hooks wrap every family.
///
/// `pymalloc_debug` is `BackendConfiguration(base: .pymalloc, debugHooks: true)`.
public struct BackendConfiguration: Hashable, Codable, Sendable, CustomStringConvertible {
  /// The allocator underneath.
  public var base: BaseBackend
  /// Whether CPython's debug hooks (`PyMem_SetupDebugHooks`) wrap each family.
  public var debugHooks: Bool

  /// Creates a configuration.
  public init(base: BaseBackend, debugHooks: Bool) {
    self.base = base
    self.debugHooks = debugHooks
  }

  /// The canonical name: `pymalloc`, `malloc_debug`, …
  public var name: String { debugHooks ? base.rawValue + "_debug" : base.rawValue }

  /// The allocator serving `family`, as the `backends` table prints it (`malloc`, `pymalloc+debug`, …).
  public func allocatorName(for family: Family) -> String {
    let allocator = base.allocatorName(for: family)
    return debugHooks ? allocator + "+debug" : allocator
  }

  public var description: String { name }
}
