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

  /// Whether a pool that becomes empty while it is its class's only used pool stays on the class's list, so the
  /// next request of the class takes a block from it without the empty → used transition. CPython's `false` by
  /// default.
  ///
  /// At most one pool per class is kept (512 KiB per heap at most), always at the head of its list: a full pool of
  /// the class that gets a block back is linked behind it. The report counts a kept pool among the unused pools,
  /// as CPython would. A kept pool never holds back an arena that CPython's rule (or ``retainedEmptyArenas`` = 0)
  /// would give back: when the other pools of its arena are free and the arena would go, the kept pools go to the
  /// free list and the arena with them. With ``retainedEmptyArenas`` K > 1 an arena held only by kept pools stays
  /// without counting among the K: at most 32 such arenas, one per class.
  public var keepsEmptyPoolPerClass: Bool

  /// Whether a pool block that must move to grow takes room for half as much again: a reallocation to `n` bytes
  /// (`n ≤ 512`) that outgrows its block moves to the class of `min(512, n + n / 2)`, and a block stays in place
  /// for any `n` it could have been given that way (`n ≤ size ≤ class(min(512, n + n / 2))`). CPython's `false` by
  /// default: it moves to the class of `n` exactly, and stays only while `4n > 3 · size`.
  ///
  /// Growing one byte at a time then copies O(log n) times instead of once per class (6 moves instead of 32 from 8
  /// to 512 bytes in steps of 8), for at most 50 % (plus rounding) unused bytes in a grown block. Shrinking below
  /// that margin moves to the exact class, as CPython does; requests above 512 bytes are the raw allocator's.
  public var reallocationHeadroom: Bool

  /// Whether the heap defends its free lists and pool headers against corruption (`SWIFTMALLOC_HARDEN`): links
  /// encoded with a random secret and checked before use, a keyed free mark that catches a double free, a keyed
  /// check value in each pool header, and frees of interior or forged pointers refused. `false` by default; see
  /// the README's "Hardened mode" for what each defence costs.
  public var hardened: Bool

  /// Whether a pool, when it is initialised for a class, is carved whole with its free list in a random order
  /// (`SWIFTMALLOC_RANDOM_CARVING`), so that the blocks a program gets one after the other are not address
  /// neighbours and an overflow's victim cannot be predicted from the allocation order. `false` by default:
  /// CPython's lazy carving in address order.
  ///
  /// Independent of ``hardened``, and combined with it when both are on. The order is a Fisher–Yates shuffle of
  /// the pool's blocks drawn from a per-heap SplitMix64 generator seeded from `getrandom`; it is built in the
  /// pool's own free blocks (no memory beyond them), touches the whole pool at once instead of as blocks are
  /// needed, and costs nothing on the allocation and free paths: only the pool initialisation tests it. An
  /// empty pool reused for the same class keeps its free list, order included; one taken by another class is
  /// shuffled again, which makes a program that empties and re-initialises a pool per call (the `pair` bench) ~50×
  /// slower unless ``keepsEmptyPoolPerClass`` keeps each class's empty pool. The free list stays LIFO: a freed
  /// block is still the next one handed out.
  public var carvesInRandomOrder: Bool

  /// What a hardened heap does when it detects a corruption: `nil`, the default, prints the report and aborts;
  /// a handler receives the report instead, and when it returns the heap carries on without the corrupt part (a
  /// refused free keeps its block, a corrupt free list is dropped): it never hands the corrupt block out.
  ///
  /// The heap calls it in the middle of an allocation or a free, so it must not use the same heap.
  public var corruptionHandler: ((HeapCorruption) -> Void)?

  /// Creates options; the defaults are CPython's without `PYTHONMALLOCSTATS`.
  ///
  /// - Precondition: `retainedEmptyArenas ≥ 0`, and a ``PurgePolicy/afterEmptyPools(_:)`` count ≥ 1.
  public init(
    printsStatisticsOnNewArena: Bool = false,
    statisticsOutput: @escaping (String) -> Void = PymallocOptions.writeToStandardError,
    retainedEmptyArenas: Int = 1,
    purge: PurgePolicy = .off,
    keepsEmptyPoolPerClass: Bool = false,
    reallocationHeadroom: Bool = false,
    hardened: Bool = false,
    corruptionHandler: ((HeapCorruption) -> Void)? = nil,
    carvesInRandomOrder: Bool = false
  ) {
    precondition(retainedEmptyArenas >= 0, "retainedEmptyArenas must not be negative")
    if case .afterEmptyPools(let count) = purge { precondition(count >= 1, "afterEmptyPools needs a count ≥ 1") }
    self.printsStatisticsOnNewArena = printsStatisticsOnNewArena
    self.statisticsOutput = statisticsOutput
    self.retainedEmptyArenas = retainedEmptyArenas
    self.purge = purge
    self.keepsEmptyPoolPerClass = keepsEmptyPoolPerClass
    self.reallocationHeadroom = reallocationHeadroom
    self.hardened = hardened
    self.corruptionHandler = corruptionHandler
    self.carvesInRandomOrder = carvesInRandomOrder
  }

  /// Writes `text` to file descriptor 2 unbuffered, as CPython's report goes to C `stderr`.
  public static func writeToStandardError(_ text: String) {
    FileDescriptorOutput.standardError.write(text)
  }
}
