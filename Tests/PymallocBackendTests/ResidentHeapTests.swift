//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("The resident heap a bench child builds before its workload")
struct ResidentHeapTests {
  @Test("built on a fresh heap, a report's class table comes back row for row")
  func reproducesClassTable() throws {
    let original = Heap(raw: SystemAllocator())
    defer { original.destroy() }
    let blocks = try SizeMix.sizes(count: 20_000).map { try #require(original.allocate(byteCount: $0)) }
    for (index, block) in blocks.enumerated() where index % 3 != 0 { original.deallocate(block) }
    let profile = try #require(ResidentProfile(mallocStatisticsReport: original.statisticsReport()))
    #expect(profile.rows.count == 32 && profile.blocksInUse == (20_000 + 2) / 3)
    #expect(profile.rows.allSatisfy { $0.blocksPerPool == (16_384 - 48) / $0.blockSize })

    let copy = Heap(raw: SystemAllocator())
    defer { copy.destroy() }
    let resident = ResidentHeap(profile, on: copy)
    #expect(resident.blocks.count == profile.blocksInUse)
    #expect(ResidentProfile(mallocStatisticsReport: copy.statisticsReport()) == profile)
    resident.release()
    #expect(copy.allocatedBlocks == 0)
  }

  @Test("live blocks fill the pools front-first, one at least in each; the free ones are the pools' tails")
  func compactLayout() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    // Three pools of 64-byte blocks (255 each) with 300 live: 255 + 44 + 1.
    let profile = ResidentProfile(rows: [.init(blockSize: 64, pools: 3, blocksInUse: 300, availableBlocks: 465)])
    let resident = ResidentHeap(profile, on: heap)
    defer { resident.release() }
    #expect(heap.statisticsReport().contains("    3     64           3             300           465\n"))
    let next = try #require(heap.allocate(byteCount: 64))
    defer { heap.deallocate(next) }
    // The first free block is the second pool's 45th: the one right after its live blocks.
    let pools = Set(resident.blocks.map { UInt(bitPattern: $0) & ~UInt(16_383) }).sorted()
    #expect(UInt(bitPattern: next) == pools[1] + 48 + 44 * 64)
  }

  @Test("the argument form round-trips, and malformed rows are refused")
  func argumentForm() {
    let profile = ResidentProfile(rows: [
      .init(blockSize: 16, pools: 1, blocksInUse: 22, availableBlocks: 999),
      .init(blockSize: 512, pools: 2, blocksInUse: 11, availableBlocks: 51),
    ])
    #expect(profile.description == "16:1:22:999,512:2:11:51")
    #expect(ResidentProfile(profile.description) == profile)
    #expect(ResidentProfile("") == .empty)
    for bad in [
      "16:1:1", "16:1:1:2:3", "a:b:c:d", "16:1:-1:3", "0:1:1:1", "16:1::3", "16:1:1:99999999999999999999",
      "513:1:1:1", "16:1:\(Int.max):1", "16:1:16777216:1", "16:0:1:1", "16:2:1:1", "16:2:2:1",
    ] {
      #expect(ResidentProfile(bad) == nil, "\(bad)")
    }
    #expect(ResidentProfile(mallocStatisticsReport: "no table here\n") == nil)
  }
}
