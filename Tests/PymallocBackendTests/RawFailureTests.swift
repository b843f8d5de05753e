//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Testing

@testable import PymallocBackend

@Suite("pymalloc when its raw allocator fails at call k")
struct RawFailureTests {
  /// A mixed, seeded sequence: small and large requests, reallocations across the 512-byte threshold, frees.
  @Test("every request succeeds or returns nil; no block is lost or damaged; the report adds up", arguments: 1...40)
  func rawFailsAtCall(k: Int) throws {
    let failSwitch = FailSwitch()
    failSwitch.failingCall = k
    let source = TestArenaSource()
    let heap = PymallocHeap(raw: FailingRawAllocator(failSwitch: failSwitch), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    var generator = SeededGenerator(seed: UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
    var live: [(block: UnsafeMutableRawPointer, size: Int, seed: Int)] = []
    var refused = 0
    for step in 0..<3_000 {
      let size = [0, 16, 100, 512, 513, 2_000, 6_000][Int(generator.next() % 7)] + Int(generator.next() % 8)
      switch generator.next() % 4 {
      case 0, 1:
        guard let block = heap.allocate(byteCount: size) else {
          refused += 1
          continue
        }
        fill(block, byteCount: size, seed: step)
        live.append((block, size, step))
      case 2 where !live.isEmpty:
        let index = Int(generator.next() % UInt64(live.count))
        let entry = live[index]
        guard let moved = heap.reallocate(entry.block, byteCount: size) else {
          refused += 1
          #expect(holdsPattern(entry.block, byteCount: entry.size, seed: entry.seed), "k \(k): refused realloc kept")
          continue
        }
        #expect(holdsPattern(moved, byteCount: min(entry.size, size), seed: entry.seed), "k \(k) step \(step)")
        fill(moved, byteCount: size, seed: step)
        live[index] = (moved, size, step)
      default:
        guard !live.isEmpty else { continue }
        let entry = live.remove(at: Int(generator.next() % UInt64(live.count)))
        #expect(holdsPattern(entry.block, byteCount: entry.size, seed: entry.seed), "k \(k) step \(step)")
        heap.deallocate(entry.block)
      }
    }
    #expect(refused <= 2, "k \(k): only the failing call and what depends on it may be refused")
    #expect(failSwitch.calls >= k, "k \(k): the failing call was reached")
    #expect(heap.allocatedBlocks == live.count)
    let totals = heap.reportTotals
    #expect(totals.total == totals.arenas * arenaSize)
    #expect(totals.headers == totals.pools * 48)
    for entry in live {
      #expect(holdsPattern(entry.block, byteCount: entry.size, seed: entry.seed), "k \(k): survivor intact")
      heap.deallocate(entry.block)
    }
    #expect(heap.allocatedBlocks == 0)
  }
}
