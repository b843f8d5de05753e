//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import ArgumentParser

/// `--threads 1,2,4`: the thread counts the threaded workloads run at, each in children of its own.
struct ThreadCounts: ExpressibleByArgument, Equatable {
  /// The most threads a run may ask for.
  static let maximum = 64

  /// The counts, in the order given, each once.
  var counts: [Int]

  /// The default, `1,2,4`.
  static let standard = ThreadCounts(counts: [1, 2, 4])

  init(counts: [Int]) { self.counts = counts }

  /// Parses a comma-separated list of counts from 1 to ``maximum``; `nil` for anything else.
  init?(argument: String) {
    let counts = argument.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    guard !counts.isEmpty, counts.allSatisfy({ $0.map { (1...Self.maximum).contains($0) } ?? false }) else {
      return nil
    }
    self.counts = counts.compactMap { $0 }.uniqued()
  }

  var defaultValueDescription: String { counts.map(String.init).joined(separator: ",") }
}
