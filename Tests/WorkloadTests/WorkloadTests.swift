//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
@testable import AllocatorWorkloads
import Foundation
import Glibc
import SwiftMallocRegistry
import Testing

/// The sample mtrace logs committed with the tests (copies of the project's shared traces).
let tracesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../Fixtures/traces").standardized.path

@Suite("Size mix, workloads and trace replay")
struct WorkloadTests {
  @Test("The size mix follows the spec's generator and shares")
  func sizeMix() {
    var generator = XorShift64()
    let first = generator.next()
    var expected = XorShift64.specSeed
    expected ^= expected << 13
    expected ^= expected >> 7
    expected ^= expected << 17
    #expect(first == expected)
    let sizes = SizeMix.sizes(count: 100_000)
    #expect(sizes.allSatisfy { (16...512).contains($0) })
    let share = { (predicate: (Int) -> Bool) in Double(sizes.filter(predicate).count) / Double(sizes.count) }
    #expect(abs(share { $0 == 32 } - 0.30) < 0.01)
    #expect(abs(share { $0 == 16 } - 0.10) < 0.01)
    #expect(abs(share { $0 > 128 } - 0.10) < 0.01)
    #expect(SizeMix.sizes(count: 10) == SizeMix.sizes(count: 10))
  }

  @Test("Every workload counts its operations and leaves no live block", arguments: Registry.acceptedNames)
  func workloads(backend: String) throws {
    struct Body: AllocatorSetBody {
      func run<Set: AllocatorSet>(_ set: Set) {
        let runner = WorkloadRunner(allocator: set.object, objects: 2_000)
        let before = set.object.statistics().liveBlocks
        #expect(runner.runPair().operations == 2_000)
        #expect(runner.runBatch().operations == 12_000)
        #expect(runner.runChurn(liveSlots: 200, steps: 8_000).operations == 16_400)
        #expect(runner.runRealloc().operations == 31 * 64)
        let phase = runner.runPhase()
        #expect(phase.operations == 6_000 && phase.retainedResidentBytes != nil)
        #expect(set.object.statistics().liveBlocks == before)
      }
    }
    try Registry.configuration(named: backend).withNewAllocatorSet(Body())
  }

  @Test("mtrace parsing: operations, reallocations, unknown frees and malformed lines are counted")
  func parser() {
    let log = MtraceLog(text: """
      = Start
      @ ./prog:[0x4005d6] + 0x1000 0x20
      @ p:[0x0] + 0x2000 0x30
      @ p:[0x0] < 0x1000
      @ p:[0x0] > 0x3000 0x40
      @ p:[0x0] - 0x2000
      @ p:[0x0] - 0x9999
      garbage line
      @ p:[0x0] + zz 0x10
      @ /lib/libc.so.6:(__libc_start_main+0xf3)[0x7f] - 0x3000
      @ git:[0x289719] + 0x4000 0
      @ p:[0x0] - (nil)
      = End
      """)
    #expect(log.operations.map(\.kind) == [.allocate, .allocate, .reallocate, .free, .free, .allocate])
    #expect(log.operations[5].size == 0)
    #expect(log.operations[2].size == 0x40)
    #expect(log.unknownAddresses == 1)
    #expect(log.unparsableLines == 2)
    #expect(log.slotCount == 2)
    let empty = MtraceLog(text: "")
    #expect(empty.operations.isEmpty && empty.lineCount == 0)
    let crlf = MtraceLog(text: "@ a + 0x10 0x20\r\n\r\n@ a - 0x10\r\n")
    #expect(crlf.operations.map(\.kind) == [.allocate, .free] && crlf.unparsableLines == 0 && crlf.lineCount == 2)
  }

  @Test("The sample traces parse and replay intact on every backend", arguments: Registry.acceptedNames)
  func sampleTraces(backend: String) throws {
    struct Body: AllocatorSetBody {
      let log: MtraceLog
      func run<Set: AllocatorSet>(_ set: Set) {
        let result = TraceReplay(allocator: set.object).run(log)
        #expect(result.corruptedOperations.isEmpty && result.failedOperations == 0)
        #expect(result.operations == log.operations.count && result.peakLiveBytes > 0)
        let timed = TraceReplay(allocator: set.object).run(log, verifies: false)
        #expect(timed.corruptedOperations.isEmpty && timed.failedOperations == 0)
        #expect(timed.operations == result.operations && timed.peakLiveBytes == result.peakLiveBytes)
      }
    }
    for name in ["sample-sort", "sample-git"] {
      let path = "\(tracesDirectory)/\(name).mtrace.gz"
      try #require(FileManager.default.fileExists(atPath: path), "missing \(path)")
      let log = try MtraceLog(contentsOf: path)
      #expect(log.operations.count > 400)
      try Registry.configuration(named: backend).withNewAllocatorSet(Body(log: log))
    }
  }

  @Test("resetPeak forgets a peak reached before it")
  func peakReset() throws {
    let byteCount = 64 << 20
    let region = try #require(mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    try #require(region != MAP_FAILED)
    for offset in stride(from: 0, to: byteCount, by: 4096) {
      region.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self)
    }
    munmap(region, byteCount)
    let before = ProcessMemory.current()
    try #require(ProcessMemory.resetPeak())
    let after = ProcessMemory.current()
    #expect(after.peakResidentBytes <= before.peakResidentBytes - 48 << 20)
  }

  @Test("The block table is resident once made, so a child's baseline RSS already holds it")
  func blockTableIsResident() {
    let byteCount = 32 << 20
    let before = ProcessMemory.current().residentBytes
    let table = _BlockTable(capacity: byteCount / MemoryLayout<UnsafeMutableRawPointer?>.stride)
    let after = ProcessMemory.current().residentBytes
    #expect(after - before >= byteCount * 7 / 8)
    withExtendedLifetime(table) {}
  }

  @Test("A runner made for one workload holds exactly the blocks that workload keeps live")
  func blockTableCapacity() {
    let capacities = [Workload.pair, .batch, .churn, .realloc, .phase, .scale].map { $0.liveBlockCapacity(objects: 1_000) }
    #expect(capacities == [0, 1_000, 100, 0, 1_500, 100])
  }

  @Test("A damaged block is reported with its operation number")
  func corruptionIsReported() throws {
    struct Body: AllocatorSetBody {
      func run<Set: AllocatorSet>(_ set: Set) {
        let log = MtraceLog(text: "@ a + 0x10 0x40\n@ a + 0x20 0x40\n@ a - 0x10\n@ a - 0x20\n")
        let result = TraceReplay(allocator: set.object).run(log, damage: (1, { $0.storeBytes(of: 0, as: UInt8.self) }))
        #expect(result.corruptedOperations == [3])
      }
    }
    try Registry.configuration(named: "malloc").withNewAllocatorSet(Body())
  }
}
