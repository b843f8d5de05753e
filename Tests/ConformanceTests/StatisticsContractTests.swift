//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Testing

@Suite("Statistics move as expected across a known sequence")
struct StatisticsContractTests {
  @Test("Live blocks (where counted) or allocated bytes rise and fall", arguments: acceptedBackends)
  func knownSequence(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        let before = allocator.statistics()
        #expect(before.backend.hasPrefix(before.backend.split(separator: "_").first.map(String.init) ?? ""))
        let small = (0..<100).compactMap { _ in allocator.allocate(byteCount: 64) }
        let large = (0..<4).compactMap { _ in allocator.allocate(byteCount: 1 << 20) }
        #expect(small.count == 100 && large.count == 4)
        let during = allocator.statistics()
        if let liveBefore = before.liveBlocks, let liveDuring = during.liveBlocks {
          #expect(liveDuring - liveBefore == 104, "\(allocator.name)/\(family.name) live blocks")
        } else {
          #expect(during.allocatedBytes - before.allocatedBytes >= 4 << 20, "\(allocator.name)/\(family.name) bytes")
        }
        for block in small + large { allocator.deallocate(block) }
        let after = allocator.statistics()
        if let liveBefore = before.liveBlocks, let liveAfter = after.liveBlocks {
          #expect(liveAfter == liveBefore, "\(allocator.name)/\(family.name) live blocks after free")
        } else {
          #expect(during.allocatedBytes - after.allocatedBytes >= 4 << 20, "\(allocator.name)/\(family.name) bytes")
        }
        if let requestedBefore = before.liveRequestedBytes, let requestedAfter = after.liveRequestedBytes {
          #expect(requestedAfter == requestedBefore, "\(allocator.name)/\(family.name) requested bytes")
          #expect(during.liveRequestedBytes.map { $0 - requestedBefore } == 100 * 64 + 4 << 20)
        }
      }
    }
    try runOnEveryFamily(backend, Check())
  }
}
