//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Pymalloc
  import PymallocBackend
  import SystemBackend

  /// The freed-memory pass: runs each ``FreedMemoryProgram`` on a new single-owner and a new concurrent pymalloc
  /// heap, hardened (``PymallocOptions/hardened``) with a handler that counts the corruptions they report, and
  /// requires every write into freed memory to be caught or harmless.
  ///
  /// The heaps take the other options from the environment (`SWIFTMALLOC_RANDOM_CARVING`, …) and keep up to 64
  /// wholly free arenas mapped, so that a write into a freed block never meets an unmapped page.
  public struct FreedMemoryCampaign {
    /// Whether the heaps are hardened; `false` shows what the writes do to a heap without its defences.
    public let hardened: Bool
    /// Programs run so far.
    public private(set) var programCount = 0
    /// The sum of every program's outcome.
    public private(set) var total = FreedMemoryOutcome()

    /// A campaign over hardened heaps, or unhardened ones when `hardened` is `false`.
    public init(hardened: Bool = true) { self.hardened = hardened }

    /// Runs `program` on both heaps; returns what it found on them (no violations when all is well).
    public mutating func run(_ program: FreedMemoryProgram) -> FreedMemoryOutcome {
      let reports = _ReportCounter()
      var options = PymallocOptions.fromEnvironment()
      options.hardened = hardened
      options.retainedEmptyArenas = 64
      options.corruptionHandler = { _ in reports.count += 1 }
      let single = PymallocHeap(raw: SystemAllocator(), options: options)
      let concurrent = ConcurrentPymallocHeap(raw: SystemAllocator(), options: options)
      var outcome = Self.run(program, on: single)
      outcome.add(Self.run(program, on: concurrent))
      single.destroy()
      concurrent.destroy()
      outcome.reports = reports.count
      programCount += 1
      total.add(outcome)
      return outcome
    }

    private static func run(_ program: FreedMemoryProgram, on heap: some _ClassifyingHeap) -> FreedMemoryOutcome {
      var execution = _FreedMemoryExecution(heap: heap)
      execution.run(program)
      return execution.outcome
    }
  }
#endif
