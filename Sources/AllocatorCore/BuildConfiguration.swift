//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What this build compiled in, decided by the package traits.
public enum BuildConfiguration {
  /// Whether `base` is compiled into this build.
  public static func isCompiledIn(_ base: BaseBackend) -> Bool {
    switch base {
    case .malloc: true
    case .pymalloc: pymallocCompiledIn
    case .jemalloc: jemallocCompiledIn
    }
  }

  /// The compiled-in base backends, in declaration order.
  public static var compiledBackends: [BaseBackend] { BaseBackend.allCases.filter(isCompiledIn) }

  /// The base `default` stands for: pymalloc when built with it, else glibc malloc (CPython's rule).
  public static var defaultBase: BaseBackend { pymallocCompiledIn ? .pymalloc : .malloc }

  /// Whether the benchmark-only `cpython` reference was built (trait `CPythonReference`).
  public static var cpythonReferenceCompiledIn: Bool {
    #if CPythonReference
      true
    #else
      false
    #endif
  }

  private static var pymallocCompiledIn: Bool {
    #if Pymalloc
      true
    #else
      false
    #endif
  }

  private static var jemallocCompiledIn: Bool {
    #if Jemalloc
      true
    #else
      false
    #endif
  }
}
