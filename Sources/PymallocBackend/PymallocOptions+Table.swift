//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension PymallocOptions {
  /// Every option, declared once (as mimalloc's options table): the environment variable, default, values, effect
  /// and trade-off, and how its value is applied.
  public static let table: [PymallocOption] = [
    PymallocOption(
      "SWIFTMALLOCSTATS", defaultValue: "unset", values: "any non-empty value",
      effect: "prints the `_debugmallocstats` report before each new arena and when the heap is destroyed "
        + "(`PYTHONMALLOCSTATS`)",
      trade: "a report per arena on standard error",
      apply: { _, options in
        options.printsStatisticsOnNewArena = true
        return true
      }),
    PymallocOption(
      "SWIFTMALLOC_PURGE", defaultValue: "off", values: "off, immediate or a count K ≥ 1",
      effect: "gives the pages of empty pools back to the OS (`madvise`) while their arena holds live blocks: at "
        + "once, or after every K emptied pools for the arenas at least a quarter used",
      trade: "retained RSS (phase: 0.44× CPython's with K = 64) for system calls (batch +6 %)",
      apply: { value, options in
        guard let policy = PurgePolicy(parsing: value) else { return false }
        options.purge = policy
        return true
      }),
    PymallocOption(
      "SWIFTMALLOC_RETAINED_ARENAS", defaultValue: "1", values: "a count K ≥ 0",
      effect: "keeps up to K wholly free arenas mapped instead of CPython's one (the usable list's tail); 0 "
        + "returns every one at once (CPython 3.8)",
      trade: "up to K MiB kept mapped for no page faults when memory is taken again",
      apply: { value, options in
        guard let count = Int(value), count >= 0 else { return false }
        options.retainedEmptyArenas = count
        return true
      }),
    .onOff(
      "SWIFTMALLOC_KEEP_EMPTY_POOL",
      effect: "leaves a class's last used pool on its list when it empties, so an allocate/free pair of one "
        + "class never pays the empty → used transition",
      trade: "at most one empty pool per class (512 KiB) held by classes that may not need it again",
      keyPath: \.keepsEmptyPoolPerClass),
    .onOff(
      "SWIFTMALLOC_REALLOC_HEADROOM",
      effect: "a block that outgrows its class moves to the class of 1.5 × the request and stays in place for "
        + "any size it could have been given that way",
      trade: "up to half again unused in a grown block, for 6 copies instead of 32 from 8 to 512 bytes",
      keyPath: \.reallocationHeadroom),
    .onOff(
      "SWIFTMALLOC_HARDEN",
      effect: "hardened mode: free-list links encoded with a random secret and checked, double frees caught by a "
        + "keyed mark, pool headers keyed, interior and forged frees refused; a corruption is reported and aborts",
      trade: "0 bytes per block; ns/op and instructions as the README's \"Hardened mode\" measures them",
      keyPath: \.hardened),
    .onOff(
      "SWIFTMALLOC_RANDOM_CARVING",
      effect: "a pool is carved whole when a class takes it, its free list in a random order (Fisher–Yates), so "
        + "blocks allocated one after the other are not address neighbours; with or without `SWIFTMALLOC_HARDEN`",
      trade: "nothing per allocation or free; a whole-pool shuffle per pool initialisation, its 4 pages "
        + "touched at once: pair 51× (a pool re-initialised per call) unless `SWIFTMALLOC_KEEP_EMPTY_POOL=1`",
      keyPath: \.carvesInRandomOrder),
  ]

  /// The environment variables the options are read from.
  public static var environmentKeys: [String] { table.map(\.environmentVariable) }

  /// The options the process environment asks for; see ``fromEnvironment(_:)``.
  public static func fromEnvironment() -> PymallocOptions {
    var environment: [String: String] = [:]
    for key in environmentKeys {
      if let value = getenv(key) { environment[key] = String(cString: value) }
    }
    return fromEnvironment(environment)
  }

  /// The options an environment asks for, one ``table`` entry per variable; an empty variable is unset, and a
  /// value that does not parse leaves the default and says so on standard error.
  public static func fromEnvironment(_ environment: [String: String]) -> PymallocOptions {
    var options = PymallocOptions()
    for option in table {
      guard let value = environment[option.environmentVariable], !value.isEmpty else { continue }
      option.apply(value, to: &options)
    }
    return options
  }

}

extension PymallocOptions {
  /// The ``table`` as a Markdown table, as the README shows it.
  public static var markdownTable: String {
    var lines = ["| variable | default | values | effect | trade |", "|---|---|---|---|---|"]
    for option in table {
      lines.append(
        "| `\(option.environmentVariable)` | \(option.defaultValue) | \(option.values) | \(option.effect) | "
          + "\(option.trade) |")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
