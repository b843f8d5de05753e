//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SwiftMallocRegistry
import SystemBackend
import Testing

/// An overflow that runs one byte past a block's trailing pads into the header of the block above it.
///
/// 24-byte mem requests take 48-byte blocks underneath (pymalloc and jemalloc place them side by side), so the byte
/// at `lower + 32` is the first of `upper`'s header: the most significant byte of its big-endian size. '\n' there
/// reads as an alignment shift of 10, which would put the block's base 1 KiB below `upper`, at another live block.
struct NeighbourOverflow {
  /// Every block allocated, each filled with its index.
  let blocks: [UnsafeMutableRawPointer]
  /// The block whose header the overflow reaches; freed by ``commit(on:)``.
  let upper: UnsafeMutableRawPointer

  static let blockCount = 64
  static let requestedSize = 24
  static let overflowByte = UInt8(ascii: "\n")

  /// Allocates the blocks, writes the byte past the lower block's pads and frees the upper one, which has another
  /// of the blocks where its shifted base would be. `nil` (everything freed) when no blocks lie that way.
  static func commit(on mem: some Allocator) -> NeighbourOverflow? {
    let blocks = (0..<blockCount).map { _ in mem.allocate(byteCount: requestedSize)! }
    for (index, block) in blocks.enumerated() {
      block.initializeMemory(as: UInt8.self, repeating: UInt8(index), count: requestedSize)
    }
    let starts = Set(blocks)
    let shiftedBase = 1 << Int(overflowByte)
    guard let upper = blocks.first(where: { starts.contains($0 - 48) && starts.contains($0 - shiftedBase + 16) }) else {
      for block in blocks { mem.deallocate(block) }
      return nil
    }
    (upper - 48).storeBytes(of: overflowByte, toByteOffset: requestedSize + 8, as: UInt8.self)
    mem.deallocate(upper)
    return NeighbourOverflow(blocks: blocks, upper: upper)
  }

  /// Whether every block but `upper` still holds its index in all its data bytes and an intact 'm' header.
  func othersAreIntact() -> Bool {
    blocks.enumerated().allSatisfy { index, block in
      block == upper
        || bytes(block, from: -16, count: 16) == [0, 0, 0, 0, 0, 0, 0, 24, 0x6D] + Array(repeating: 0xFD, count: 7)
          && bytes(block, from: 0, count: NeighbourOverflow.requestedSize)
            == Array(repeating: UInt8(index), count: NeighbourOverflow.requestedSize)
    }
  }
}

/// Commits ``NeighbourOverflow`` on a set's mem family (under the abort policy the process ends inside).
struct CommitNeighbourOverflow: AllocatorSetBody {
  func run<Set: AllocatorSet>(_ set: Set) {
    guard let overflow = NeighbourOverflow.commit(on: set.mem) else { return }
    for block in overflow.blocks where block != overflow.upper { set.mem.deallocate(block) }
  }
}

/// The bases whose 48-byte blocks lie side by side.
let contiguousBases = DebugBase.compiled.filter { $0 != .malloc }

@Suite("An overflow into the next block's header is reported, and nothing else is touched")
struct NeighbourOverflowTests {
  @Test("The handler gets a bad leading pad; every other block, the one 1 KiB below included, is intact",
    arguments: contiguousBases)
  func neighbourUntouched(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        guard let overflow = NeighbourOverflow.commit(on: mem) else {
          Issue.record("no two 48-byte blocks side by side with a third 1 KiB below")
          return
        }
        #expect(log.reports.map(\.fault) == [.badLeadingPad])
        #expect(log.reports.first?.pointer == UInt(bitPattern: overflow.upper))
        #expect(overflow.othersAreIntact())
        for block in overflow.blocks where block != overflow.upper { mem.deallocate(block) }
        #expect(log.reports.count == 1)
        #expect(mem.statistics().liveBlocks == 1)  // the overflowed block, leaked
      }
    }
    _ = base.run(Scenario())
  }

  @Test("An aligned block whose gap below the header was overwritten is reported, not freed",
    arguments: DebugBase.compiled)
  func alignedGapOverwritten(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        let intact = mem.allocate(byteCount: 40, alignment: 256)!
        let damaged = mem.allocate(byteCount: 40, alignment: 256)!
        (damaged - 256).storeBytes(of: 0, as: UInt8.self)
        mem.deallocate(intact)
        #expect(log.reports.isEmpty)
        mem.deallocate(damaged)
        #expect(log.reports.map(\.fault) == [.badLeadingPad])
        #expect(mem.statistics().liveBlocks == 1)
      }
    }
    _ = base.run(Scenario())
  }

  @Test("Under the abort policy: CPython's dump of a block whose size is bogus, then bad leading pad byte",
    arguments: contiguousBases.map { $0.rawValue + "_debug" })
  func neighbourDump(backend: String) async throws {
    let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardErrorContent]) {
      [backend] in
      try Registry.configuration(named: backend).withNewAllocatorSet(CommitNeighbourOverflow())
    }
    let lines = normalizedLines(result?.standardErrorContent ?? [])
    let expected = [
      "Debug memory block at address p=0x…: API 'm'",
      "    \(UInt64(NeighbourOverflow.overflowByte) << 56 | 24) bytes originally requested",
      "    The 7 pad bytes at p-7 are FORBIDDENBYTE, as expected.",
      "    The size in the header is bogus: the trailing pad bytes and the data are not read.",
      "",
      "Enable tracemalloc to get the memory block allocation traceback",
      "",
      "Fatal swift-malloc error: _PyMem_DebugRawFree: bad leading pad byte",
    ]
    #expect(Array(lines.prefix(expected.count)) == expected, "\(backend): \(lines.prefix(20))")
  }
}
