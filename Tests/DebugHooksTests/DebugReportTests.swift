//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import SwiftMallocCLI

/// Overflows a fresh mem block of `size` bytes by one byte and frees it.
func overflowReport(size: Int, base: DebugBase, tracebackDepth: Int = 0) -> DebugReport? {
  struct Scenario: DebugScenario {
    let size: Int
    func run<Base: Allocator>(
      raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
    ) {
      let p = mem.allocate(byteCount: size)!
      p.storeBytes(of: UInt8(ascii: "x"), toByteOffset: size, as: UInt8.self)
      mem.deallocate(p)
    }
  }
  return base.run(Scenario(size: size), tracebackDepth: tracebackDepth).reports.first
}

@Suite("Debug reports under the handler policy")
struct DebugReportTests {
  @Test("Data line: all bytes up to 16, else 8 … 8; none for a zero-size block", arguments: DebugBase.compiled)
  func dataLine(base: DebugBase) throws {
    let empty = try #require(overflowReport(size: 0, base: base))
    #expect(empty.fault == .badTrailingPad)
    #expect(!empty.dump.contains("Data at p"))
    #expect(empty.dump.contains("    0 bytes originally requested"))
    let sixteen = try #require(overflowReport(size: 16, base: base))
    #expect(sixteen.dump.contains("    Data at p:" + String(repeating: " cd", count: 16) + "\n"))
    let seventeen = try #require(overflowReport(size: 17, base: base))
    let eight = String(repeating: " cd", count: 8)
    #expect(seventeen.dump.contains("    Data at p:" + eight + " ..." + eight + "\n"))
    #expect(seventeen.fatalLine == "Fatal swift-malloc error: _PyMem_DebugRawFree: bad trailing pad byte")
  }

  @Test("Every family mismatch is a bad ID naming both APIs", arguments: DebugBase.compiled)
  func mismatches(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        raw.deallocate(mem.allocate(byteCount: 16))
        raw.deallocate(object.allocate(byteCount: 16))
        object.deallocate(mem.allocate(byteCount: 16))
        mem.deallocate(object.allocate(byteCount: 16))
        mem.deallocate(raw.allocate(byteCount: 16))
        object.deallocate(raw.allocate(byteCount: 16))
      }
    }
    let reports = base.run(Scenario()).reports
    let pairs = reports.compactMap { report -> String? in
      guard case .badIdentifier(let allocated, let verified) = report.fault else { return nil }
      return String(UnicodeScalar(allocated)) + String(UnicodeScalar(verified))
    }
    #expect(pairs == ["mr", "or", "mo", "om", "rm", "ro"])
    #expect(reports.first?.fault.message == "bad ID: Allocated using API 'm', verified using API 'r'")
    #expect(reports.allSatisfy { $0.dump.contains("as expected.") })
  }

  @Test("Traceback section: recorded frames with tracing on, the hint without", arguments: DebugBase.compiled)
  func traceback(base: DebugBase) throws {
    let traced = try #require(overflowReport(size: 24, base: base, tracebackDepth: 8))
    #expect(traced.dump.contains("Memory block allocated at (most recent call first):\n  at 0x"))
    #expect(!traced.traceback.isEmpty)
    let untraced = try #require(overflowReport(size: 24, base: base))
    #expect(untraced.dump.hasSuffix(
      "\nEnable tracemalloc to get the memory block allocation traceback\n\n"))
    #expect(untraced.traceback.isEmpty)
  }

  @Test("After the handler returns, the faulty block is leaked and the others stay intact", arguments: DebugBase.compiled)
  func handlerLeaksFaultyBlock(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        let others = (1...50).map { size -> UnsafeMutableRawPointer in
          let p = mem.allocate(byteCount: size * 7)!
          p.initializeMemory(as: UInt8.self, repeating: UInt8(size), count: size * 7)
          return p
        }
        let victim = mem.allocate(byteCount: 32)!
        victim.storeBytes(of: 0, toByteOffset: 33, as: UInt8.self)
        mem.deallocate(victim)
        mem.deallocate(victim)  // still live for the hooks: the same report again, nothing freed
        #expect(log.reports.map(\.fault) == [.badTrailingPad, .badTrailingPad])
        #expect(mem.statistics().liveBlocks == 51)
        #expect(mem.reallocate(victim, byteCount: 64) == nil)
        for (index, p) in others.enumerated() {
          let size = (index + 1) * 7
          #expect(bytes(p, from: 0, count: size) == Array(repeating: UInt8(index + 1), count: size))
          mem.deallocate(p)
        }
        #expect(log.reports.count == 3)
      }
    }
    _ = base.run(Scenario())
  }
  @Test(
    "mem and object calls from another thread are reported; raw calls are not",
    arguments: DebugBase.compiled.filter { $0 != .pymallocThreaded })
  func ownerCheck(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        runOnAnotherThread { raw.deallocate(raw.allocate(byteCount: 16)) }
        #expect(log.reports.isEmpty)
        runOnAnotherThread { #expect(mem.allocate(byteCount: 16) == nil) }
        runOnAnotherThread { object.deallocate(nil) }
        runOnAnotherThread { #expect(object.allocate(byteCount: 16) == nil) }
        #expect(log.reports.map(\.function) == ["_PyMem_DebugMalloc", "_PyMem_DebugMalloc"])
        #expect(log.reports.allSatisfy { $0.fault == .callWithoutHeap })
        mem.context.clearHolder()
        #expect(mem.allocate(byteCount: 8) == nil)
        mem.context.setHolderToCurrentThread()
        let p = mem.allocate(byteCount: 8)
        #expect(p != nil)
        mem.deallocate(p)
        #expect(log.reports.count == 3)
      }
    }
    _ = base.run(Scenario())
  }

  @Test("over the concurrent pymalloc, any thread may call every family: no GIL check")
  func noOwnerCheckWhenFreeThreaded() {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        let block = object.allocate(byteCount: 16)
        runOnAnotherThread { mem.deallocate(mem.allocate(byteCount: 16)) }
        runOnAnotherThread { object.deallocate(block) }
        mem.context.clearHolder()
        mem.deallocate(mem.allocate(byteCount: 8))
        #expect(block != nil && log.reports.isEmpty)
      }
    }
    _ = DebugBase.pymallocThreaded.run(Scenario())
  }
}
