//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorFuzzing
import AllocatorWorkloads
import Foundation
import SwiftMallocRegistry
import Testing

@Suite("Fuzz oracle")
struct FuzzOracleTests {
  /// A program that exercises every call on every family, valid and invalid.
  static let mixedProgram: FuzzProgram = {
    var generator = XorShift64(seed: 7)
    return FuzzProgram(decoding: (0..<4_000).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 11) })
  }()

  @Test("every backend and its _debug form keeps every promise on random programs and the sample traces")
  func everyBackendAgrees() throws {
    var campaign = FuzzCampaign.everyBackend()
    #expect(campaign.configurations.count == 2 * BuildConfiguration.compiledBackends.count)
    var problems = campaign.run(Self.mixedProgram)
    var generator = XorShift64(seed: 11)
    for _ in 0..<12 {
      problems += campaign.run(FuzzProgram(decoding: (0..<1_500).map { _ in UInt8(truncatingIfNeeded: generator.next()) }))
    }
    for trace in ["sample-git", "sample-sort"] {
      let log = try MtraceLog(contentsOf: "\(fixtures)/\(trace).mtrace.gz")
      problems += campaign.run(FuzzProgram(replaying: log.operations[...]))
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
    #expect(campaign.operationCount > 5_000 * campaign.configurations.count)
  }

  @Test(
    "an allocator that overlaps blocks, misaligns, refuses a valid size or accepts a negative one is caught",
    arguments: FaultyAllocator.Fault.allCases)
  func faultsAreCaught(fault: FaultyAllocator.Fault) {
    let outcome = FaultyAllocator.withSet(fault) { FuzzExecution(set: $0).run(Self.mixedProgram) }
    #expect(outcome.violations.contains { $0.contains(fault.expectedViolation) }, "\(outcome.violations.prefix(3))")
  }

  @Test("a result that differs between backends is a divergence naming the operation")
  func divergence() {
    let program = FuzzProgram(operations: [FuzzOperation(kind: .allocate(size: 513), family: .mem, slot: 0)])
    let good = FaultyAllocator.withSet(nil) { FuzzExecution(set: $0).run(program) }
    let refusing = FaultyAllocator.withSet(.refusing513) { FuzzExecution(set: $0).run(program) }
    let problems = FuzzCampaign.problems(in: [good, refusing], of: program)
    #expect(problems.contains { $0.hasPrefix("operation 0 (") && $0.contains("returned a block") })
  }
}

/// The sample traces committed with the tests.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Fixtures/traces").path

/// A bump allocator over one buffer, with one deliberate fault, for proving the oracle can fail.
struct FaultyAllocator: Allocator {
  enum Fault: String, CaseIterable, Sendable {
    case overlapping, misaligned, refusing513, acceptingNegative

    var expectedViolation: String {
      switch self {
      case .overlapping: "damaged"
      case .misaligned: "-aligned"
      case .refusing513: "refused a valid"
      case .acceptingNegative: "accepted an invalid"
      }
    }
  }

  let fault: Fault?
  let buffer: UnsafeMutableRawPointer
  let cursor: UnsafeMutablePointer<Int>
  static let capacity = 1 << 28

  static func withSet<Result>(_ fault: Fault?, _ body: (FamilySet<Self, Self, Self>) -> Result) -> Result {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1 << 16)
    let cursor = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    cursor.initialize(to: 0)
    defer {
      buffer.deallocate()
      cursor.deallocate()
    }
    let allocator = FaultyAllocator(fault: fault, buffer: buffer, cursor: cursor)
    let configuration = BackendConfiguration(base: .malloc, debugHooks: false)
    return body(FamilySet(configuration: configuration, raw: allocator, mem: allocator, object: allocator, release: {}))
  }

  var name: String { "faulty" }
  var isThreadSafe: Bool { false }

  func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    allocate(byteCount: byteCount, alignment: 16)
  }

  func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    if fault == .acceptingNegative, byteCount < 0 { return buffer }
    if fault == .refusing513, byteCount == 513 { return nil }
    guard AllocationLimits.isSatisfiable(byteCount), AllocationLimits.isValidAlignment(alignment) else { return nil }
    let step = max(alignment, 16)
    let start = (cursor.pointee + step - 1) / step * step
    guard start + byteCount + 16 <= Self.capacity else { return nil }
    let overlap = fault == .overlapping && byteCount >= 32 ? 16 : 0
    cursor.pointee = start + max(16, (byteCount + 15) / 16 * 16 - overlap)
    let block = buffer + start
    block.storeBytes(of: byteCount, toByteOffset: 0, as: Int.self)
    return fault == .misaligned ? block + 8 : block
  }

  func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    guard let byteCount = AllocationLimits.zeroedByteCount(count: count, stride: stride),
      let block = allocate(byteCount: byteCount)
    else { return nil }
    block.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    return block
  }

  func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard let moved = allocate(byteCount: byteCount) else { return nil }
    if let pointer, byteCount > 0 { moved.copyMemory(from: pointer, byteCount: min(byteCount, 16)) }
    return moved
  }

  func deallocate(_ pointer: UnsafeMutableRawPointer?) {}

  func usableSize(of pointer: UnsafeMutableRawPointer) -> Int { Int.max }

  func statistics() -> AllocatorStatistics {
    AllocatorStatistics(
      backend: name, liveBlocks: nil, allocatedBytes: 0, liveRequestedBytes: nil, mappedBytes: 0, residentBytes: nil)
  }
}
