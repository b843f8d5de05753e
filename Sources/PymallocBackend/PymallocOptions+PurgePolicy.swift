//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension PymallocOptions {
  /// When a heap gives the memory of empty pools back to the OS while their arena still holds live blocks.
  ///
  /// CPython never does (``off``): an arena's memory goes back only with the whole arena. Purging uses
  /// `madvise(MADV_DONTNEED)` on every page of the pool, header included, one call per run of neighbouring
  /// pools; the arena remembers purged pools in a bitmap and re-initialises one when it next needs a pool,
  /// whatever class it served before.
  public enum PurgePolicy: Equatable, Sendable {
    /// Keep empty pools' pages, as CPython does.
    case off
    /// Purge each pool as soon as it becomes empty.
    case immediate
    /// Each time this many pools have become empty since the last purge, purge the empty pools of the arenas that
    /// hold live blocks, except those taken again since the last purge (they are in use).
    case afterEmptyPools(Int)
  }
}

extension PymallocOptions.PurgePolicy {
  /// `off`, `immediate`, or a count K ≥ 1 for ``afterEmptyPools(_:)``; `nil` for anything else.
  public init?(parsing text: String) {
    switch text {
    case "off": self = .off
    case "immediate": self = .immediate
    default:
      guard let count = Int(text), count >= 1 else { return nil }
      self = .afterEmptyPools(count)
    }
  }
}

extension PymallocOptions.PurgePolicy {
  /// Pools that become empty between two actions of the policy: 1, K, or `Int.max` (never) for ``off``.
  internal var period: Int {
    switch self {
    case .off: Int.max
    case .immediate: 1
    case .afterEmptyPools(let count): count
    }
  }
}
