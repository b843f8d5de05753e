//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import Testing

/// A seeded random mix of allocate, zeroed, reallocate, aligned and free calls over a table of live blocks. Every
/// block carries a pattern derived from its id and size, verified before every free and reallocation.
struct RandomSequence: FamilyCheck {
  let operations: Int
  let peakLiveBlocks: Int
  let seed: UInt64

  private struct LiveBlock {
    var pointer: UnsafeMutableRawPointer
    var id: Int
    var size: Int
  }

  func check<A: Allocator>(_ allocator: A, family: Family) {
    var generator = TestGenerator(state: seed)
    var live: [LiveBlock] = []
    live.reserveCapacity(peakLiveBlocks)
    var nextID = 0
    var corrupted = 0
    var failed = 0
    var highWater = 0

    func size() -> Int {
      switch generator.next(below: 100) {
      case 0..<70: 1 + generator.next(below: 512)
      case 70..<90: [0, 1, 16, 17, 496, 497, 512, 513][generator.next(below: 8)]
      case 90..<98: 513 + generator.next(below: 8_000)
      default: 8_000 + generator.next(below: 200_000)
      }
    }

    for step in 0..<operations {
      // Grow towards the peak during the first half, then hover around it.
      let growing = step < operations / 2 && live.count < peakLiveBlocks
      let action = live.isEmpty ? 0 : generator.next(below: growing ? 10 : 20)
      switch action {
      case 0..<7:
        let byteCount = size()
        let pointer: UnsafeMutableRawPointer?
        switch generator.next(below: 8) {
        case 0: pointer = allocator.allocateZeroed(count: byteCount, stride: 1)
        case 1: pointer = allocator.allocate(byteCount: byteCount, alignment: 16 << generator.next(below: 6))
        default: pointer = allocator.allocate(byteCount: byteCount)
        }
        guard let pointer else { failed += 1; continue }
        fillPattern(pointer, id: nextID, size: byteCount, count: byteCount)
        live.append(LiveBlock(pointer: pointer, id: nextID, size: byteCount))
        nextID += 1
      case 7..<9:
        let index = generator.next(below: live.count)
        var block = live[index]
        if !holdsPattern(block.pointer, id: block.id, size: block.size, count: block.size) { corrupted += 1 }
        let newSize = size()
        guard let moved = allocator.reallocate(block.pointer, byteCount: newSize) else { failed += 1; continue }
        if !holdsPattern(moved, id: block.id, size: block.size, count: min(block.size, newSize)) { corrupted += 1 }
        block = LiveBlock(pointer: moved, id: nextID, size: newSize)
        nextID += 1
        fillPattern(moved, id: block.id, size: newSize, count: newSize)
        live[index] = block
      default:
        let index = generator.next(below: live.count)
        let block = live.swapRemoveAt(index)
        if !holdsPattern(block.pointer, id: block.id, size: block.size, count: block.size) { corrupted += 1 }
        allocator.deallocate(block.pointer)
      }
      highWater = max(highWater, live.count)
    }
    for block in live {
      if !holdsPattern(block.pointer, id: block.id, size: block.size, count: block.size) { corrupted += 1 }
      allocator.deallocate(block.pointer)
    }
    #expect(corrupted == 0, "\(allocator.name)/\(family.name): \(corrupted) corrupted blocks")
    #expect(failed == 0, "\(allocator.name)/\(family.name): \(failed) failed requests")
    #expect(highWater >= peakLiveBlocks, "\(allocator.name)/\(family.name): peak \(highWater) live blocks")
  }
}

extension Array {
  /// Removes the element at `index` in O(1) by moving the last element into its place.
  fileprivate mutating func swapRemoveAt(_ index: Int) -> Element {
    swapAt(index, count - 1)
    return removeLast()
  }
}

@Suite("Seeded random sequences, content verified before every free and reallocation")
struct RandomSequenceTests {
  @Test("20 000 mixed operations, 2 000 live at peak", arguments: acceptedBackends)
  func small(backend: String) throws {
    try runOnEveryFamily(backend, RandomSequence(operations: 20_000, peakLiveBlocks: 2_000, seed: 0x5EED))
  }
}

extension Tag {
  /// Long loops, run by `make test` in a release build with `SWIFTMALLOC_HEAVY_TESTS=1`.
  @Tag static var heavy: Tag
}

/// Whether the heavy loops are enabled.
let heavyTestsEnabled = ProcessInfo.processInfo.environment["SWIFTMALLOC_HEAVY_TESTS"] == "1"

@Suite("Heavy conformance: a million operations, 100 000 live at peak", .tags(.heavy), .enabled(if: heavyTestsEnabled))
struct HeavyConformanceTests {
  @Test("1 000 000 mixed operations, ≥ 100 000 live at peak", arguments: acceptedBackends)
  func million(backend: String) throws {
    try runOnEveryFamily(backend, RandomSequence(operations: 1_000_000, peakLiveBlocks: 100_000, seed: 88_172_645))
  }
}
