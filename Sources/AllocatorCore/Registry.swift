//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The names a process may run with, and the rule that picks one: `--backend NAME` beats `SWIFTMALLOC`, which
/// beats the build default. The names are `PYTHONMALLOC`'s.
///
/// The registry only resolves names. `SwiftMallocRegistry` turns a ``BackendConfiguration`` into a concrete
/// ``AllocatorSet`` and hands it to code specialized for it.
public enum Registry {
  /// The environment variable read at launch, as CPython reads `PYTHONMALLOC`. Empty means unset.
  public static let environmentVariable = "SWIFTMALLOC"

  /// Benchmark-only reference allocators: known names that are never a configuration of the families.
  public static let referenceNames = ["cpython", "tcmalloc"]

  /// Every configuration name, compiled in or not: `default`, `debug`, then each base and its `_debug` form.
  public static var configurationNames: [String] {
    ["default", "debug"] + BaseBackend.allCases.flatMap { [$0.rawValue, $0.rawValue + "_debug"] }
  }

  /// The names this build accepts for ``select(flag:environment:)``.
  public static var acceptedNames: [String] {
    configurationNames.filter { name in
      if case .success = resolve(name) { true } else { false }
    }
  }

  /// Resolves one name.
  ///
  /// - Throws: ``BackendSelectionError`` for an unknown name, a backend this build left out, or a reference name.
  public static func configuration(
    named name: String, source: BackendSelection.Source? = nil
  ) throws(BackendSelectionError) -> BackendConfiguration {
    switch resolve(name) {
    case .success(let configuration):
      return configuration
    case .failure(let refusal):
      throw BackendSelectionError(name: name, reason: refusal.reason, source: source, acceptedNames: acceptedNames)
    }
  }

  /// Why a name does not resolve, before the error message is assembled.
  private struct Refusal: Error {
    var reason: BackendSelectionError.Reason
  }

  /// The name-to-configuration rule, with no message building (``acceptedNames`` is defined through it).
  private static func resolve(_ name: String) -> Result<BackendConfiguration, Refusal> {
    switch name {
    case "default":
      return .success(BackendConfiguration(base: BuildConfiguration.defaultBase, debugHooks: false))
    case "debug":
      return .success(BackendConfiguration(base: BuildConfiguration.defaultBase, debugHooks: true))
    case _ where referenceNames.contains(name):
      return .failure(Refusal(reason: .referenceOnly))
    default:
      let debugSuffix = "_debug"
      let debugHooks = name.hasSuffix(debugSuffix)
      let baseName = debugHooks ? String(name.dropLast(debugSuffix.count)) : name
      guard let base = BaseBackend(rawValue: baseName) else { return .failure(Refusal(reason: .unknown)) }
      guard BuildConfiguration.isCompiledIn(base) else { return .failure(Refusal(reason: .notCompiledIn(base))) }
      if let reason = BuildConfiguration.runtimeUnavailability(of: base) {
        return .failure(Refusal(reason: .unavailable(base, reason)))
      }
      return .success(BackendConfiguration(base: base, debugHooks: debugHooks))
    }
  }

  /// Picks the backend: the flag if given, else a non-empty `SWIFTMALLOC`, else `default`.
  ///
  /// - Parameters:
  ///   - flag: The value of `--backend`, if given.
  ///   - environment: The process environment (injectable for tests).
  public static func select(
    flag: String?, environment: [String: String]
  ) throws(BackendSelectionError) -> BackendSelection {
    if let flag {
      return BackendSelection(
        requestedName: flag, configuration: try configuration(named: flag, source: .flag), source: .flag)
    }
    if let value = environment[environmentVariable], !value.isEmpty {
      return BackendSelection(
        requestedName: value, configuration: try configuration(named: value, source: .environment),
        source: .environment)
    }
    return BackendSelection(
      requestedName: "default", configuration: try configuration(named: "default"), source: .buildDefault)
  }
}
