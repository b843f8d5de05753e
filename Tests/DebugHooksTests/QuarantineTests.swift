//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@Suite("The quarantine verifies each freed block once, when it leaves")
struct QuarantineTests {
  @Test("A write into a held block is reported when the block is pushed out, not by the allocations before",
    arguments: DebugBase.compiled)
  func reportedOnLeaving(base: DebugBase) throws {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        let freed = mem.allocate(byteCount: 100)!
        mem.deallocate(freed)
        freed.storeBytes(of: UInt8(ascii: "x"), toByteOffset: 4, as: UInt8.self)
        let fresh = (0..<100).map { _ in mem.allocate(byteCount: 16)! }
        #expect(log.reports.isEmpty)
        let capacity = _DebugQuarantine.capacity
        for block in fresh.prefix(capacity - 1) { mem.deallocate(block) }
        #expect(log.reports.isEmpty)
        mem.deallocate(fresh[capacity - 1])
        #expect(log.reports.map(\.fault) == [.writeAfterFree])
        #expect(log.reports.first?.pointer == UInt(bitPattern: freed))
        #expect(log.reports.first?.function == "_PyMem_DebugRawFree")
        #expect(log.reports.first?.dump.contains("        at p+4: 0x78 *** OUCH\n") == true)
        for block in fresh.dropFirst(capacity) { mem.deallocate(block) }
        #expect(log.reports.count == 1)
      }
    }
    _ = base.run(Scenario())
  }

  @Test("Allocations verify nothing; every block pushed out is verified once", arguments: DebugBase.compiled)
  func verifiedOnce(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        mem.deallocate(mem.allocate(byteCount: 4000))  // about 4 KiB underneath: held
        let start = mem._quarantineVerifications
        let blocks = (0..<1000).map { _ in mem.allocate(byteCount: 16)! }
        #expect(mem._quarantineVerifications == start)
        for block in blocks { mem.deallocate(block) }
        let held = _DebugQuarantine.capacity
        #expect(mem._quarantineVerifications == start + 1001 - held)
        #expect(log.reports.isEmpty)
      }
    }
    _ = base.run(Scenario())
  }

  @Test("A write into a block still held when the allocator is destroyed is reported then",
    arguments: DebugBase.compiled)
  func reportedOnDestroy(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        let freed = mem.allocate(byteCount: 40)!
        mem.deallocate(freed)
        freed.storeBytes(of: 0, toByteOffset: 39, as: UInt8.self)
        #expect(log.reports.isEmpty)
      }
    }
    let reports = base.run(Scenario()).reports
    #expect(reports.map(\.fault) == [.writeAfterFree])
    #expect(reports.first?.dump.contains("        at p+39: 0x00 *** OUCH\n") == true)
  }
}
