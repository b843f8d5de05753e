//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// Runs a ``FuzzProgram`` on one allocator set and checks every promise of the `Allocator` contract as it goes.
///
/// Every block is filled with a pattern of its slot and operation number when it is handed out, and the pattern
/// is verified before the block is freed or resized, and after a resize over the preserved prefix. At the end
/// every block is freed and the statistics must be back where they started.
public struct FuzzExecution<Set: AllocatorSet> {
  /// The allocators under test.
  public let set: Set

  /// An execution on `set`.
  @inlinable
  public init(set: Set) { self.set = set }

  /// Runs `program` and reports what happened.
  public func run(_ program: FuzzProgram) -> FuzzOutcome {
    var state = _FuzzState(set: set, outcome: FuzzOutcome(backend: set.configuration.name))
    let before = _LiveBlockCounts(set)
    for (number, operation) in program.operations.enumerated() {
      state.number = number
      state.outcome.results.append(state.apply(operation))
    }
    state.releaseAll()
    let after = _LiveBlockCounts(set)
    if before != after { state.violate("live blocks \(before) before the program, \(after) after freeing all") }
    for family in Family.allCases {
      if let problem = _ReportInvariant.problem(in: set.statisticsReport(of: family)) {
        state.violate("\(family.name) report: \(problem)")
      }
    }
    return state.outcome
  }
}

extension AllocatorSet {
  /// The statistics report of `family`'s allocator.
  func statisticsReport(of family: Family) -> String {
    switch family {
    case .raw: raw.statisticsReport()
    case .mem: mem.statisticsReport()
    case .object: object.statisticsReport()
    }
  }
}
