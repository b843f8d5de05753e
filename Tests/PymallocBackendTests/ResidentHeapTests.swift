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

    let copy = Heap(raw: SystemAllocator())
    defer { copy.destroy() }
    let resident = ResidentHeap(profile, on: copy)
    #expect(resident.count == profile.blocksInUse)
    #expect(ResidentProfile(mallocStatisticsReport: copy.statisticsReport()) == profile)
    resident.release()
    #expect(copy.allocatedBlocks == 0)
  }

  @Test("every pool keeps free blocks between live ones")
  func freesAreSpread() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    // Two pools of 64-byte blocks (255 each), 10 live: 5 per pool.
    let profile = ResidentProfile(rows: [.init(blockSize: 64, blocksInUse: 10, availableBlocks: 500)])
    let resident = ResidentHeap(profile, on: heap)
    defer { resident.release() }
    #expect(heap.statisticsReport().contains("    3     64           2              10           500\n"))
  }

  @Test("the argument form round-trips, and malformed rows are refused")
  func argumentForm() {
    let profile = ResidentProfile(rows: [
      .init(blockSize: 16, blocksInUse: 22, availableBlocks: 999), .init(blockSize: 512, blocksInUse: 11, availableBlocks: 0),
    ])
    #expect(profile.description == "16:22:999,512:11:0")
    #expect(ResidentProfile(profile.description) == profile)
    #expect(ResidentProfile("") == .empty)
    for bad in ["16:1", "16:1:2:3", "a:b:c", "16:-1:3", "0:1:1", "16::3", "16:1:99999999999999999999", "513:1:1",
      "16:\(Int.max):1", "16:16777216:1"] {
      #expect(ResidentProfile(bad) == nil, "\(bad)")
    }
    #expect(ResidentProfile(mallocStatisticsReport: "no table here\n") == nil)
  }
}
