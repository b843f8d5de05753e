//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

/// Collects the reports a heap prints.
final class ReportSink {
  var reports: [String] = []
}

@Suite("pymalloc statistics and the _debugmallocstats report")
struct StatisticsTests {
  @Test("the report of a fixed sequence matches the text derived from the spec's rules")
  func goldenReport() throws {
    let source = TestArenaSource(placement: [4096])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource)
    defer { heap.destroy() }
    let tiny = try (0..<100).map { _ in try #require(heap.allocate(byteCount: 16)) }
    let big = try (0..<40).map { _ in try #require(heap.allocate(byteCount: 500)) }
    let raw = try [0, 600, 700, 800].map { try #require(heap.allocate(byteCount: $0)) }
    tiny[..<10].forEach(heap.deallocate)
    // Class 0: one pool, 90 blocks in use, 1021 − 90 = 931 available.
    // Class 31: 40 blocks in two pools (31 + 9), 62 − 40 = 22 available.
    // Bytes: allocated 90·16 + 40·512 = 21,920; available 931·16 + 22·512 = 26,160;
    // 63 − 3 = 60 unused pools = 983,040; headers 3·48 = 144; quantization 0 + 2·464 = 928;
    // alignment 16,384 (base 4 KiB past a pool boundary). Sum: 1,048,576.
    // The unaligned arena spans two ideal slots of one bottom node: 1 mid node, 1 bottom node.
    let expected = """
      Small block threshold = 512, in 32 size classes.

      class   size   num pools   blocks in use  avail blocks
      -----   ----   ---------   -------------  ------------
          0     16           1              90           931
         31    512           2              40            22

      # arenas allocated total           =                    1
      # arenas reclaimed                 =                    0
      # arenas highwater mark            =                    1
      # arenas allocated current         =                    1
      1 arenas * 1048576 bytes/arena     =            1,048,576

      # bytes in allocated blocks        =               21,920
      # bytes in available blocks        =               26,160
      60 unused pools * 16384 bytes      =              983,040
      # bytes lost to pool headers       =                  144
      # bytes lost to quantization       =                  928
      # bytes lost to arena alignment    =               16,384
      Total                              =            1,048,576

      arena map counts

      """
    // The arena map serves the whole process (tests running beside this one may add nodes): its section is
    // checked against the map's own counts.
    let report = heap.statisticsReport()
    let mapSection = try #require(report.range(of: "arena map counts\n"))
    #expect(String(report[..<mapSection.upperBound]) == expected)
    let values = report[mapSection.upperBound...].split(separator: "\n").map {
      Int($0.split(separator: "=").last!.filter(\.isNumber))!
    }
    let (mid, bottom) = (values[0], values[1])
    #expect(mid >= 1 && bottom >= 1)
    #expect(values[2...] == [262_144, mid * 262_144, bottom * 131_072, 262_144 + mid * 262_144 + bottom * 131_072])
    let stats = heap.statistics()
    #expect(stats.backend == "pymalloc")
    #expect(stats.liveBlocks == 134)
    #expect(stats.allocatedBytes == 21_920)
    #expect(stats.mappedBytes == 1_048_576 + 262_144 + mid * 262_144 + bottom * 131_072)
    tiny[10...].forEach(heap.deallocate)
    big.forEach(heap.deallocate)
    raw.forEach(heap.deallocate)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("a fresh heap reports empty tables and zero counters, as CPython before its first arena; the map is the process's")
  func emptyReport() {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    let report = heap.statisticsReport()
    #expect(report.hasPrefix("Small block threshold = 512, in 32 size classes.\n\nclass   size"))
    #expect(report.contains("------------\n\n# arenas allocated total           =                    0\n"))
    #expect(report.contains("0 arenas * 1048576 bytes/arena     =                    0\n"))
    #expect(report.contains("0 unused pools * 16384 bytes       =                    0\n"))
    // The arena map section is the process's, which other heaps (and tests beside this one) have used.
    #expect(report.contains("# bytes lost to arena map root     =              262,144\n"))
    #expect(report.split(separator: "\n", omittingEmptySubsequences: false).count == 28)
  }

  @Test("a mixed sequence keeps every block's contents, Total = arenas × 1 MiB and headers = pools × 48")
  func mixedSequence() throws {
    let heap = Heap(raw: SystemAllocator())
    defer { heap.destroy() }
    var generator = SeededGenerator()
    var live: [(block: UnsafeMutableRawPointer, size: Int, seed: Int)] = []
    for step in 0..<3000 {
      let roll = generator.next() % 10
      if roll < 6 || live.isEmpty {
        let size = Int(generator.next() % 600)
        let block = try #require(
          roll == 0 ? heap.allocateZeroed(count: size, stride: 1) : heap.allocate(byteCount: size))
        if roll == 0 { #expect((0..<size).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == 0 }) }
        fill(block, byteCount: size, seed: step)
        live.append((block, size, step))
      } else if roll < 9 {
        live.swapAt(Int(generator.next() % UInt64(live.count)), live.count - 1)
        let victim = live.removeLast()
        #expect(holdsPattern(victim.block, byteCount: victim.size, seed: victim.seed))
        heap.deallocate(victim.block)
      } else {
        let index = Int(generator.next() % UInt64(live.count))
        let newSize = Int(generator.next() % 700)
        let old = live[index]
        let moved = try #require(heap.reallocate(old.block, byteCount: newSize))
        #expect(holdsPattern(moved, byteCount: min(old.size, newSize), seed: old.seed))
        fill(moved, byteCount: newSize, seed: step)
        live[index] = (moved, newSize, step)
      }
      let totals = heap.reportTotals
      #expect(totals.total == totals.arenas * arenaSize, "after step \(step)")
      #expect(totals.headers == totals.pools * 48)
      #expect(heap.allocatedBlocks == live.count)
    }
    for entry in live {
      #expect(holdsPattern(entry.block, byteCount: entry.size, seed: entry.seed))
      heap.deallocate(entry.block)
    }
    let totals = heap.reportTotals
    #expect(totals.total == totals.arenas * arenaSize && totals.pools == 0)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("the report before each new arena and once at destroy, as PYTHONMALLOCSTATS")
  func reportsOnNewArena() throws {
    let sink = ReportSink()
    let source = TestArenaSource(placement: [4096])
    let heap = Heap(
      raw: SystemAllocator(), arenaSource: source.arenaSource,
      options: PymallocOptions(printsStatisticsOnNewArena: true, statisticsOutput: { sink.reports.append($0) }))
    #expect(sink.reports.isEmpty)
    var blocks: [UnsafeMutableRawPointer] = []
    for _ in 0..<(63 * 2 + 1) { blocks += try allocateFullPool(heap) }
    #expect(sink.reports.count == 3)
    for (index, report) in sink.reports.enumerated() {
      #expect(report.contains("# arenas allocated current         =                    \(index)\n"))
    }
    blocks.forEach(heap.deallocate)
    heap.destroy()
    #expect(sink.reports.count == 4)
    #expect(sink.reports[3].contains("# arenas reclaimed                 =                    2\n"))
  }

  @Test("no report without the option; SWIFTMALLOCSTATS must be non-empty")
  func environmentOption() throws {
    #expect(PymallocOptions.fromEnvironment(["SWIFTMALLOCSTATS": "1"]).printsStatisticsOnNewArena)
    #expect(!PymallocOptions.fromEnvironment(["SWIFTMALLOCSTATS": ""]).printsStatisticsOnNewArena)
    #expect(!PymallocOptions.fromEnvironment([:]).printsStatisticsOnNewArena)
    let sink = ReportSink()
    let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(statisticsOutput: { sink.reports.append($0) }))
    heap.deallocate(heap.allocate(byteCount: 8))
    heap.destroy()
    #expect(sink.reports.isEmpty)
  }
}
