//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SwiftMallocRegistry
import Testing

/// Allocates 100 × 64 B and 4 × 1 MiB on each family, frees them, and lists every statistic that did not move as
/// expected: live blocks where the backend counts them, else allocated bytes; requested bytes where known.
struct StatisticsSequence: AllocatorSetBody {
  func run<Set: AllocatorSet>(_ set: Set) -> [String] {
    check(set.raw, .raw) + check(set.mem, .mem) + check(set.object, .object)
  }

  private func check<A: Allocator>(_ allocator: A, _ family: Family) -> [String] {
    var problems: [String] = []
    let label = "\(allocator.name)/\(family.name)"
    let before = allocator.statistics()
    let blocks = (0..<100).compactMap { _ in allocator.allocate(byteCount: 64) }
      + (0..<4).compactMap { _ in allocator.allocate(byteCount: 1 << 20) }
    if blocks.count != 104 { problems.append("\(label): \(104 - blocks.count) allocations failed") }
    let during = allocator.statistics()
    blocks.forEach(allocator.deallocate)
    let after = allocator.statistics()
    if let liveBefore = before.liveBlocks, let liveDuring = during.liveBlocks, let liveAfter = after.liveBlocks {
      if liveDuring - liveBefore != 104 { problems.append("\(label): live blocks rose by \(liveDuring - liveBefore)") }
      if liveAfter != liveBefore { problems.append("\(label): live blocks \(liveBefore) → \(liveAfter) after freeing") }
    } else {
      if during.allocatedBytes - before.allocatedBytes < 4 << 20 {
        problems.append("\(label): allocated bytes rose by \(during.allocatedBytes - before.allocatedBytes)")
      }
      if during.allocatedBytes - after.allocatedBytes < 4 << 20 {
        problems.append("\(label): allocated bytes fell by \(during.allocatedBytes - after.allocatedBytes)")
      }
    }
    if let requestedBefore = before.liveRequestedBytes, let requestedDuring = during.liveRequestedBytes {
      if requestedDuring - requestedBefore != 100 * 64 + 4 << 20 {
        problems.append("\(label): requested bytes rose by \(requestedDuring - requestedBefore)")
      }
      if after.liveRequestedBytes != requestedBefore { problems.append("\(label): requested bytes not restored") }
    }
    return problems
  }
}

@Suite("Statistics move as expected across a known sequence")
struct StatisticsContractTests {
  /// In a process of its own: glibc's and jemalloc's process-wide counters would otherwise move with the tests
  /// running in parallel.
  @Test("Live blocks (where counted) or allocated bytes rise and fall", arguments: acceptedBackends)
  func knownSequence(backend: String) async {
    let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) { [backend] in
      let problems = try Registry.configuration(named: backend).withNewAllocatorSet(StatisticsSequence())
      for problem in problems { FileHandle.standardError.write(Data("statistics problem: \(problem)\n".utf8)) }
      exit(problems.isEmpty ? 0 : 1)
    }
    let problems = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self).split(separator: "\n")
      .filter { $0.hasPrefix("statistics problem: ") }
    #expect(problems.isEmpty, "\(backend): \(problems)")
  }
}
