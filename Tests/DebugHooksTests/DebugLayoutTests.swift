//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import PymallocBackend
import SystemBackend
import Testing

#if Jemalloc
  import JemallocBackend
#endif

#if Mimalloc
  import MimallocBackend
#endif

/// Reports a handler received.
final class ReportLog: @unchecked Sendable {
  var reports: [DebugReport] = []
}

/// A scenario run on debug families over one base (raw is always glibc, as in CPython).
protocol DebugScenario {
  func run<Base: Allocator>(
    raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog)
}

/// The bases the scenarios run over.
enum DebugBase: String, CaseIterable, Sendable, Codable {
  case malloc, pymalloc, jemalloc, mimalloc
  case pymallocThreaded = "pymalloc_mt"

  static var compiled: [DebugBase] {
    var bases: [DebugBase] = [.malloc, .pymalloc, .pymallocThreaded]
    #if Jemalloc
      bases.append(.jemalloc)
    #endif
    #if Mimalloc
      bases.append(.mimalloc)
    #endif
    return bases
  }

  /// Runs `scenario` with a handler policy (or `tracebackDepth` frames recorded), then tears everything down.
  func run(_ scenario: some DebugScenario, tracebackDepth: Int = 0) -> ReportLog {
    let log = ReportLog()
    let context = DebugContext.make(
      options: DebugOptions(tracebackDepth: tracebackDepth, policy: .handler { log.reports.append($0) }))
    defer { context.destroy() }
    let raw = DebugAllocator(family: .raw, base: SystemAllocator(), context: context)
    defer { raw.destroy() }
    func go<Base: Allocator>(_ base: Base) {
      let mem = DebugAllocator(family: .mem, base: base, context: context)
      let object = DebugAllocator(family: .object, base: base, context: context)
      scenario.run(raw: raw, mem: mem, object: object, log: log)
      mem.destroy()
      object.destroy()
    }
    switch self {
    case .malloc:
      go(SystemAllocator())
    case .pymalloc:
      let heap = PymallocHeap(raw: SystemAllocator())
      go(heap)
      heap.destroy()
    case .pymallocThreaded:
      let heap = ConcurrentPymallocHeap(raw: SystemAllocator())
      go(heap)
      heap.destroy()
    case .jemalloc:
      #if Jemalloc
        let arena = JemallocArena()
        go(JemallocAllocator(arena: arena, threadCached: true))
        arena.destroy()
      #endif
    case .mimalloc:
      #if Mimalloc
        let heap = MimallocHeap()
        go(MimallocAllocator(heap: heap))
        heap.destroy()
      #endif
    }
    return log
  }
}

/// The bytes from `pointer + start` for `count` bytes.
func bytes(_ pointer: UnsafeMutableRawPointer, from start: Int, count: Int) -> [UInt8] {
  Array(UnsafeRawBufferPointer(start: pointer + start, count: count))
}

@Suite("Debug block layout, fills and reallocation (CPython §4.1–4.2)")
struct DebugLayoutTests {
  @Test("Header bytes for n = 24, 0xCD data, 0xFD tail", arguments: DebugBase.compiled)
  func header(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        let p = mem.allocate(byteCount: 24)!
        #expect(bytes(p, from: -16, count: 16) == [0, 0, 0, 0, 0, 0, 0, 0x18, 0x6D] + Array(repeating: 0xFD, count: 7))
        #expect(bytes(p, from: 0, count: 24) == Array(repeating: 0xCD, count: 24))
        #expect(bytes(p, from: 24, count: 8) == Array(repeating: 0xFD, count: 8))
        #expect(Int(bitPattern: p) % 16 == 0)
        let o = object.allocate(byteCount: 1)!
        #expect(bytes(o, from: -8, count: 1) == [0x6F])
        let r = raw.allocate(byteCount: 1)!
        #expect(bytes(r, from: -8, count: 1) == [0x72])
        mem.deallocate(p)
        object.deallocate(o)
        raw.deallocate(r)
        #expect(log.reports.isEmpty)
      }
    }
    _ = base.run(Scenario())
  }

  @Test("Zeroed data is 0; freed data is 0xDD while quarantined", arguments: DebugBase.compiled)
  func fills(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        let zeroed = mem.allocateZeroed(count: 5, stride: 8)!
        #expect(bytes(zeroed, from: 0, count: 40) == Array(repeating: 0, count: 40))
        #expect(bytes(zeroed, from: 40, count: 8) == Array(repeating: 0xFD, count: 8))
        mem.deallocate(zeroed)
        // The block is held in the quarantine, so reading it is defined: every byte past the base's words is 0xDD.
        #expect(bytes(zeroed, from: 0, count: 40) == Array(repeating: 0xDD, count: 40))
        #expect(log.reports.isEmpty)
      }
    }
    _ = base.run(Scenario())
  }

  @Test("Reallocation keeps content, fills growth with 0xCD, rewrites the frame", arguments: DebugBase.compiled)
  func reallocate(base: DebugBase) {
    struct Scenario: DebugScenario {
      func run<Base: Allocator>(
        raw: DebugAllocator<SystemAllocator>, mem: DebugAllocator<Base>, object: DebugAllocator<Base>, log: ReportLog
      ) {
        for (from, to) in [(10, 100), (100, 10), (200, 1000), (1000, 200), (300, 300), (16, 600)] {
          let p = mem.allocate(byteCount: from)!
          for index in 0..<from { p.storeBytes(of: UInt8(index % 251), toByteOffset: index, as: UInt8.self) }
          let q = mem.reallocate(p, byteCount: to)!
          #expect(bytes(q, from: 0, count: min(from, to)) == (0..<min(from, to)).map { UInt8($0 % 251) }, "\(from)→\(to)")
          if to > from { #expect(bytes(q, from: from, count: to - from) == Array(repeating: 0xCD, count: to - from)) }
          #expect(bytes(q, from: to, count: 8) == Array(repeating: 0xFD, count: 8), "\(from)→\(to)")
          #expect(mem.usableSize(of: q) == to)
          mem.deallocate(q)
        }
        #expect(log.reports.isEmpty)
      }
    }
    _ = base.run(Scenario())
  }
}
