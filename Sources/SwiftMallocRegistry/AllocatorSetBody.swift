//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// Work to run on the allocator set a configuration chose, specialized for that set's concrete types.
///
/// Swift closures cannot be generic, so the work is a value with a generic method. The registry resolves the
/// name once and calls ``run(_:)`` with concrete types; inside, every allocation is a direct, inlinable call.
///
///     struct CountBlocks: AllocatorSetBody {
///       func run<Set: AllocatorSet>(_ set: Set) -> Int {
///         let p = set.object.allocate(byteCount: 32)
///         defer { set.object.deallocate(p) }
///         return set.object.statistics().liveBlocks ?? 0
///       }
///     }
///     let blocks = try Registry.select(flag: nil, environment: [:]).configuration.withNewAllocatorSet(CountBlocks())
public protocol AllocatorSetBody {
  /// What the work returns.
  associatedtype Output
  /// Runs the work on a concrete set.
  func run<Set: AllocatorSet>(_ set: Set) -> Output
}
