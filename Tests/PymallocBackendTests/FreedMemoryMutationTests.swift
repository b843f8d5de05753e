//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

/// Random programs that write into freed blocks between operations (a use-after-free write into the link, the
/// free mark or both), against a hardened heap: every mutation must be caught (a report) or harmless (no block
/// handed out twice, outside a block boundary, or over a live block's bytes).
@Suite("hardened pymalloc: random writes into freed memory are caught or harmless",
  .disabled(if: _MemoryTracking.poisonsForAddressSanitizer, "writes into freed blocks, which ASan reports first"))
struct FreedMemoryMutationTests {
  @Test("200 seeded programs of 2000 operations each", arguments: [false, true])
  func mutations(concurrent: Bool) throws {
    var totals = MutationTotals()
    for seed in 1...200 { totals.add(try Self.runProgram(seed: UInt64(seed), concurrent: concurrent)) }
    #expect(totals.violations.isEmpty, "\(totals.violations.prefix(5))")
    #expect(totals.mutations > 10_000 && totals.caught > 0, "\(totals)")
  }

  /// One program: allocations of 1 … 512 bytes filled with a pattern, frees checking it, and mutations of
  /// recently freed blocks' first 16 bytes.
  static func runProgram(seed: UInt64, concurrent: Bool) throws -> MutationTotals {
    var random = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
    let log = CorruptionLog()
    // Wholly free arenas stay mapped, so that a write into a freed block never meets an unmapped page.
    let options = PymallocOptions(
      retainedEmptyArenas: 64, hardened: true, corruptionHandler: { log.reports.append($0) })
    let single = PymallocHeap(raw: SystemAllocator(), options: options)
    let shared = ConcurrentPymallocHeap(raw: SystemAllocator(), options: options)
    defer { (single.destroy(), shared.destroy()) }
    let heap: any Allocator = concurrent ? shared : single
    var live: [UnsafeMutableRawPointer: (size: Int, pattern: UInt8)] = [:]
    var freed: [UnsafeMutableRawPointer] = []
    var totals = MutationTotals()
    for _ in 0..<2000 {
      switch random.next() % 8 {
      case 0...3:
        let size = Int(random.next() % 512) + 1
        guard let block = heap.allocate(byteCount: size) else { continue }
        if live[block] != nil { totals.violations.append("seed \(seed): \(block) handed out while live") }
        if Int(bitPattern: block) % 16 != 0 || (!concurrent && single.ownership(of: block) != .blockStart) {
          totals.violations.append("seed \(seed): \(block) is not a block start")
        }
        freed.removeAll { $0 == block }
        let pattern = UInt8(truncatingIfNeeded: random.next())
        block.initializeMemory(as: UInt8.self, repeating: pattern, count: size)
        live[block] = (size, pattern)
      case 4...6:
        guard let (block, contents) = live.randomElement(using: &random) else { continue }
        let bytes = UnsafeRawBufferPointer(start: block, count: contents.size)
        if bytes.contains(where: { $0 != contents.pattern }) {
          totals.violations.append("seed \(seed): live block \(block) was overwritten")
        }
        live[block] = nil
        heap.deallocate(block)
        freed.append(block)
      default:
        // The most recently freed block (its link is used next), if it is still free: its pool may have been
        // given to another class since, and a write there would hit a live block (a stale mark can remain in
        // its unused tail), which no allocator defends.
        guard let block = freed.last else { continue }
        let state = concurrent ? shared._threadHeap()._state : single._state
        let insideLive = live.keys.contains { $0 <= block && block < $0 + _Pool.containing($0)._blockSize }
        guard !insideLive, block.load(fromByteOffset: 8, as: UInt.self) == _SafeLinks._freeMark(of: block, in: state)
        else {
          freed.removeLast()
          continue
        }
        let offset = Int(random.next() % 16)
        block.storeBytes(of: UInt8(truncatingIfNeeded: random.next()), toByteOffset: offset, as: UInt8.self)
        freed.removeLast()  // written once; it may be taken again later
        totals.mutations += 1
      }
    }
    totals.caught = log.reports.count
    return totals
  }
}

/// What the mutation programs did and found.
struct MutationTotals: CustomStringConvertible {
  var mutations = 0
  var caught = 0
  var violations: [String] = []

  mutating func add(_ other: MutationTotals) {
    mutations += other.mutations
    caught += other.caught
    violations += other.violations
  }

  var description: String { "\(mutations) mutations, \(caught) reports, \(violations.count) violations" }
}
