//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SwiftMallocRegistry

/// The differential oracle: runs each program on every configuration, each on new heaps, and reports every
/// violation and every operation whose result differs from the first configuration's.
public struct FuzzCampaign {
  /// The configurations compared, the first one the reference.
  public let configurations: [BackendConfiguration]
  /// Programs run so far.
  public private(set) var programCount = 0
  /// Operations executed so far, summed over the configurations.
  public private(set) var operationCount = 0

  /// A campaign over `configurations`.
  public init(configurations: [BackendConfiguration]) {
    self.configurations = configurations
  }

  /// A campaign over every configuration this build accepts (each base and its `_debug` form).
  public static func everyBackend() -> FuzzCampaign {
    let names = Registry.acceptedNames.filter { $0 != "default" && $0 != "debug" }
    return FuzzCampaign(configurations: names.compactMap { try? Registry.configuration(named: $0) })
  }

  /// Runs `program` on every configuration; returns the violations and divergences (empty when all is well).
  public mutating func run(_ program: FuzzProgram) -> [String] {
    let outcomes = configurations.map { $0.withNewAllocatorSet(_FuzzBody(program: program)) }
    programCount += 1
    operationCount += program.operations.count * configurations.count
    return Self.problems(in: outcomes, of: program)
  }

  /// The violations of every outcome, then each outcome's first result that differs from the first outcome's.
  public static func problems(in outcomes: [FuzzOutcome], of program: FuzzProgram) -> [String] {
    var problems = outcomes.flatMap(\.violations)
    guard let reference = outcomes.first else { return problems }
    for outcome in outcomes.dropFirst() {
      if let number = reference.results.indices.first(where: { reference.results[$0] != outcome.results[$0] }) {
        problems.append(
          "operation \(number) (\(program.operations[number])): \(reference.backend) returned "
            + "\(reference.results[number] ? "a block" : "nil"), \(outcome.backend) did not")
      }
    }
    return problems
  }
}

/// Runs one program on the set it is handed.
struct _FuzzBody: AllocatorSetBody {
  let program: FuzzProgram

  func run<Set: AllocatorSet>(_ set: Set) -> FuzzOutcome {
    FuzzExecution(set: set).run(program)
  }
}
