//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Behaviour switches of a ``PymallocHeap`` that CPython takes from the environment.
public struct PymallocOptions {
  /// Print the statistics report before each new arena and once when the heap is destroyed
  /// (`PYTHONMALLOCSTATS`).
  public var printsStatisticsOnNewArena: Bool

  /// Receives each report that ``printsStatisticsOnNewArena`` asks for. The default writes to standard error.
  ///
  /// The heap calls it in the middle of an allocation, so it must not allocate from the same heap.
  public var statisticsOutput: (String) -> Void

  /// How many wholly free arenas the heap keeps instead of returning them to the arena source.
  ///
  /// `1`, the default, is CPython's rule since 3.9: a wholly free arena is kept only while it is the last of the
  /// usable arenas. `0` returns every wholly free arena at once (CPython 3.8). `K > 1` keeps the first `K`
  /// arenas that become wholly free, wherever they sort.
  public var retainedEmptyArenas: Int

  /// When empty pools inside arenas that hold live blocks give their pages back; CPython's ``PurgePolicy/off``
  /// by default.
  public var purge: PurgePolicy

  /// Creates options; the defaults are CPython's without `PYTHONMALLOCSTATS`.
  ///
  /// - Precondition: `retainedEmptyArenas ≥ 0`, and a ``PurgePolicy/afterEmptyPools(_:)`` count ≥ 1.
  public init(
    printsStatisticsOnNewArena: Bool = false,
    statisticsOutput: @escaping (String) -> Void = PymallocOptions.writeToStandardError,
    retainedEmptyArenas: Int = 1,
    purge: PurgePolicy = .off
  ) {
    precondition(retainedEmptyArenas >= 0, "retainedEmptyArenas must not be negative")
    if case .afterEmptyPools(let count) = purge { precondition(count >= 1, "afterEmptyPools needs a count ≥ 1") }
    self.printsStatisticsOnNewArena = printsStatisticsOnNewArena
    self.statisticsOutput = statisticsOutput
    self.retainedEmptyArenas = retainedEmptyArenas
    self.purge = purge
  }

  /// The environment variables the options are read from.
  public static let environmentKeys = ["SWIFTMALLOCSTATS", "SWIFTMALLOC_PURGE", "SWIFTMALLOC_RETAINED_ARENAS"]

  /// The options the process environment asks for; see ``fromEnvironment(_:)``.
  public static func fromEnvironment() -> PymallocOptions {
    var environment: [String: String] = [:]
    for key in environmentKeys {
      if let value = getenv(key) { environment[key] = String(cString: value) }
    }
    return fromEnvironment(environment)
  }

  /// The options an environment asks for:
  /// - `SWIFTMALLOCSTATS` non-empty: print the report at each new arena and at destroy (`PYTHONMALLOCSTATS`);
  /// - `SWIFTMALLOC_PURGE=off|immediate|K`: the ``PurgePolicy`` (K: after K empty pools);
  /// - `SWIFTMALLOC_RETAINED_ARENAS=K`: ``retainedEmptyArenas``.
  ///
  /// A value that does not parse leaves CPython's default and says so on standard error.
  public static func fromEnvironment(_ environment: [String: String]) -> PymallocOptions {
    var options = PymallocOptions(printsStatisticsOnNewArena: !(environment["SWIFTMALLOCSTATS"] ?? "").isEmpty)
    if let value = environment["SWIFTMALLOC_PURGE"], !value.isEmpty {
      if let policy = PurgePolicy(parsing: value) {
        options.purge = policy
      } else {
        writeToStandardError("swift-malloc: SWIFTMALLOC_PURGE=\(value) is not off, immediate or a count ≥ 1; purge stays off\n")
      }
    }
    if let value = environment["SWIFTMALLOC_RETAINED_ARENAS"], !value.isEmpty {
      if let count = Int(value), count >= 0 {
        options.retainedEmptyArenas = count
      } else {
        writeToStandardError("swift-malloc: SWIFTMALLOC_RETAINED_ARENAS=\(value) is not a count ≥ 0; keeping 1\n")
      }
    }
    return options
  }

  /// Writes `text` to file descriptor 2 unbuffered, as CPython's report goes to C `stderr`.
  public static func writeToStandardError(_ text: String) {
    FileDescriptorOutput.standardError.write(text)
  }
}
