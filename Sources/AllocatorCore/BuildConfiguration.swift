//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Mimalloc
  internal import CMimallocShim
#endif
#if Jemalloc
  internal import CJemallocShim
#endif

/// What this build compiled in, decided by the package traits.
public enum BuildConfiguration {
  /// Whether `base` is compiled into this build.
  public static func isCompiledIn(_ base: BaseBackend) -> Bool {
    switch base {
    case .malloc: true
    case .pymalloc, .pymallocThreaded: pymallocCompiledIn
    case .jemalloc: jemallocCompiledIn
    case .mimalloc: mimallocCompiledIn
    }
  }

  /// Why `base`, compiled in, cannot run in this process, or `nil` when it can: jemalloc and mimalloc are reached at
  /// run time, and this is the reason their library could not be found or loaded.
  public static func runtimeUnavailability(of base: BaseBackend) -> String? {
    switch base {
    case .jemalloc:
      #if Jemalloc
        sm_je_load().map { String(cString: $0) }
      #else
        nil
      #endif
    case .mimalloc:
      #if Mimalloc
        sm_mi_load().map { String(cString: $0) }
      #else
        nil
      #endif
    default: nil
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

  private static var mimallocCompiledIn: Bool {
    #if Mimalloc
      true
    #else
      false
    #endif
  }
}
