//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The small-block heap a process already holds when a workload starts: per size class, the blocks in use and the
/// free blocks beside them in their pools — the class table of CPython's `sys._debugmallocstats()`.
///
/// The `cpython` reference runs inside an initialized interpreter, whose own objects keep a partly used pool of
/// almost every class. Every other bench child builds the same heap first (``ResidentHeap``), so that no backend is
/// measured on a colder heap than the reference: a cold heap pays pymalloc's empty → used pool transition on every
/// allocate/free pair, a warm one never does.
public struct ResidentProfile: Codable, Equatable, Sendable {
  /// One row of the class table.
  public struct SizeClassRow: Codable, Equatable, Sendable {
    /// The block size of the class, in bytes.
    public var blockSize: Int
    /// Pools holding the class's blocks.
    public var pools: Int
    /// Blocks in use.
    public var blocksInUse: Int
    /// Free blocks in the class's pools (free-listed or not yet carved).
    public var availableBlocks: Int

    /// A row.
    public init(blockSize: Int, pools: Int, blocksInUse: Int, availableBlocks: Int) {
      self.blockSize = blockSize
      self.pools = pools
      self.blocksInUse = blocksInUse
      self.availableBlocks = availableBlocks
    }

    /// The most blocks a row may ask for: 16 Mi, far above any interpreter's start-up heap.
    public static let maximumBlocks = 1 << 24

    /// A small-block size (1 … 512 bytes), at least one block in use in each pool, and at most
    /// ``maximumBlocks`` blocks, all shared out evenly among the pools.
    public var isValid: Bool {
      (1...512).contains(blockSize) && pools >= 1 && blocksInUse >= pools && availableBlocks >= 0
        && blocksInUse <= Self.maximumBlocks && availableBlocks <= Self.maximumBlocks - blocksInUse
        && (blocksInUse + availableBlocks) % pools == 0
    }

    /// Blocks per pool: in-use plus available over pools.
    public var blocksPerPool: Int { (blocksInUse + availableBlocks) / pools }

    /// The blocks in use in pool `pool` (0-based) of a compact heap: one in each pool, the rest front-first.
    public func liveBlocks(inPool pool: Int) -> Int {
      let extra = blocksInUse - pools
      return 1 + min(blocksPerPool - 1, max(0, extra - pool * (blocksPerPool - 1)))
    }
  }

  /// The rows, one per class with a pool in use.
  public var rows: [SizeClassRow]

  /// A profile of `rows`.
  public init(rows: [SizeClassRow]) { self.rows = rows }

  /// No resident heap: the workload starts on a fresh allocator.
  public static let empty = ResidentProfile(rows: [])

  /// Blocks the resident heap keeps live.
  public var blocksInUse: Int { rows.reduce(0) { $0 + $1.blocksInUse } }
}

extension ResidentProfile {
  /// Reads the class table of a `sys._debugmallocstats()` report (CPython's, or the pymalloc backend's own):
  /// every line of five integers `class size pools in-use available`. Nil when the report has no such line.
  public init?(mallocStatisticsReport report: String) {
    let rows = report.split(separator: "\n").compactMap { line -> SizeClassRow? in
      let words = line.split(separator: " ")
      let fields = words.compactMap { Int($0) }
      guard words.count == 5, fields.count == 5 else { return nil }
      return SizeClassRow(blockSize: fields[1], pools: fields[2], blocksInUse: fields[3], availableBlocks: fields[4])
    }
    guard !rows.isEmpty, rows.allSatisfy(\.isValid) else { return nil }
    self.rows = rows
  }
}

extension ResidentProfile: CustomStringConvertible {
  /// `size:pools:in-use:available` per row, comma-separated: the form the bench passes to its children.
  public var description: String {
    rows.map { "\($0.blockSize):\($0.pools):\($0.blocksInUse):\($0.availableBlocks)" }.joined(separator: ",")
  }
}

extension ResidentProfile: LosslessStringConvertible {
  /// Parses ``description``'s form; `""` is ``empty``. Nil for anything else, or for a row that is not
  /// ``SizeClassRow/isValid``.
  public init?(_ text: String) {
    var rows: [SizeClassRow] = []
    for row in text.split(separator: ",") {
      let fields = row.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
      guard fields.count == 4, let size = fields[0], let pools = fields[1], let inUse = fields[2],
        let available = fields[3]
      else { return nil }
      rows.append(SizeClassRow(blockSize: size, pools: pools, blocksInUse: inUse, availableBlocks: available))
    }
    guard rows.allSatisfy(\.isValid) else { return nil }
    self.rows = rows
  }
}
