//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
@testable import AllocatorWorkloads
import Foundation
import SwiftMallocRegistry
import Testing

/// The threaded workloads.
let threadedWorkloads = Workload.allCases.filter(\.isThreaded)

/// The long threaded runs, run by `make test` in a release build with `SWIFTMALLOC_HEAVY_TESTS=1`.
let threadedHeavyTestsEnabled = ProcessInfo.processInfo.environment["SWIFTMALLOC_HEAVY_TESTS"] == "1"

/// What a checking run of a threaded workload must show, whichever allocator it shares.
struct CheckedThreadedRun: SharedAllocatorBody {
  let workload: Workload
  let objects: Int
  let threads: Int
  let counts: CallCounts

  /// Runs the workload checking, expects every block intact, the operations to add up to every call the allocator
  /// saw and to the workload's plan, nothing left live, and cross-thread frees where the workload makes them.
  /// Returns whether the threads called the allocator behind a lock.
  func run<A: Allocator>(_ allocator: A, isLocked: Bool) -> Bool {
    let runner = ThreadedWorkloadRunner(allocator: allocator, objects: objects, threads: threads)
    let callsBefore = counts.calls.load(ordering: .relaxed)
    let result = runner.run(workload, checking: true)
    #expect(runner.remoteBlocks == objects / 2)
    let operations = result.measurement.operations
    #expect(result.damagedBlocks == 0)
    #expect(result.operationsPerThread.count == threads && result.operationsPerThread.reduce(0, +) == operations)
    #expect(operations == plannedOperations(runner))
    #expect(counts.calls.load(ordering: .relaxed) - callsBefore == operations)
    #expect(counts.live.load(ordering: .relaxed) == 0)
    let crossThreadFrees = result.crossThreadFrees ?? -1
    switch workload {
    case .threadsRemote: #expect(crossThreadFrees == (threads == 1 ? 0 : runner.remoteBlocks))
    case .threadsLarson: #expect(threads == 1 ? crossThreadFrees == 0 : crossThreadFrees > 0)
    default: #expect(crossThreadFrees == 0)
    }
    return isLocked
  }

  /// The operations the workload's definition gives for the runner's N and T.
  private func plannedOperations<A>(_ runner: ThreadedWorkloadRunner<A>) -> Int {
    let slots = runner.liveSlotsPerThread
    switch workload {
    case .threadsRemote: return 2 * (objects / 2)
    case .threadsLarson: return threads * 2 * slots * (runner.larsonRounds + 1)
    default: return threads * (2 * slots + 2 * runner.localStepsPerThread)
    }
  }
}

/// Runs a ``CheckedThreadedRun`` per thread count on a thread-shared set's counted object family; expects the
/// family's live blocks back where they started and the threads locked exactly when `expectLocked`.
struct CheckedThreadedSet: AllocatorSetBody {
  let workload: Workload
  let objects: Int
  let threadCounts: [Int]
  let expectLocked: Bool

  func run<Set: AllocatorSet>(_ set: Set) {
    let before = set.object.statistics().liveBlocks
    let counting = CountingAllocator(base: set.object, counts: CallCounts())
    for threads in threadCounts {
      let check = CheckedThreadedRun(workload: workload, objects: objects, threads: threads, counts: counting.counts)
      #expect(counting.withThreadSharing(handingHeapTo: set.debugContext, check) == expectLocked)
    }
    #expect(set.object.statistics().liveBlocks == before)
  }
}

@Suite("Threaded workloads")
struct ThreadedWorkloadTests {
  @Test(
    "glibc directly and pymalloc locked, 2 and 4 threads: blocks intact, counts add up, nothing leaks",
    arguments: ["malloc", "pymalloc"], threadedWorkloads)
  func checkedRuns(backend: String, workload: Workload) throws {
    guard BuildConfiguration.isCompiledIn(.pymalloc) || backend == "malloc" else { return }
    let body = CheckedThreadedSet(
      workload: workload, objects: 2_000, threadCounts: [2, 4], expectLocked: backend == "pymalloc")
    try Registry.configuration(named: backend).withNewThreadSharedAllocatorSet(body)
  }

  @Test("One thread: remote plays both parts and Larson's arrays come back to it, so no free crosses threads",
    arguments: threadedWorkloads)
  func singleThread(workload: Workload) throws {
    let body = CheckedThreadedSet(workload: workload, objects: 2_000, threadCounts: [1], expectLocked: false)
    try Registry.configuration(named: "malloc").withNewThreadSharedAllocatorSet(body)
  }

  @Test("Under the debug hooks the object family is locked and each call holds the heap", arguments: threadedWorkloads)
  func debugHooks(workload: Workload) throws {
    let body = CheckedThreadedSet(workload: workload, objects: 2_000, threadCounts: [2], expectLocked: true)
    try Registry.configuration(named: "malloc_debug").withNewThreadSharedAllocatorSet(body)
  }

  @Test("jemalloc is called directly, a thread cache per thread, and every cache is flushed before its thread ends",
    arguments: threadedWorkloads)
  func jemallocThreadCaches(workload: Workload) throws {
    guard BuildConfiguration.isCompiledIn(.jemalloc) else { return }
    struct Body: AllocatorSetBody {
      let workload: Workload
      func run<Set: AllocatorSet>(_ set: Set) {
        let before = set.object.statistics().allocatedBytes
        CheckedThreadedSet(workload: workload, objects: 20_000, threadCounts: [4], expectLocked: false).run(set)
        #expect(set.object.statistics().allocatedBytes == before)
      }
    }
    try Registry.configuration(named: "jemalloc").withNewThreadSharedAllocatorSet(Body(workload: workload))
  }

  @Test("The checking pattern finds a damaged byte, a bogus header and a block of another thread")
  func patternCheck() {
    let block = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
    defer { block.deallocate() }
    let counters = _WorkerCounters.allocate(count: 1)
    defer { UnsafeMutableRawPointer(counters).deallocate() }
    _PatternTouch.fill(block, size: 64, owner: 3)
    _PatternTouch.check(block, freer: 3, counters: counters)
    #expect(counters.pointee.damagedBlocks == 0 && counters.pointee.crossThreadFrees == 0)
    _PatternTouch.check(block, freer: 1, counters: counters)
    #expect(counters.pointee.damagedBlocks == 0 && counters.pointee.crossThreadFrees == 1)
    block.storeBytes(of: block.load(fromByteOffset: 63, as: UInt8.self) &+ 1, toByteOffset: 63, as: UInt8.self)
    _PatternTouch.check(block, freer: 3, counters: counters)
    #expect(counters.pointee.damagedBlocks == 1)
    block.storeBytes(of: UInt64(3) << 32 | 1 << 31, as: UInt64.self)
    _PatternTouch.check(block, freer: 3, counters: counters)
    #expect(counters.pointee.damagedBlocks == 2 && counters.pointee.crossThreadFrees == 1)
  }
}

@Suite("Heavy threaded workloads: every backend, 4 threads, N = 200 000", .enabled(if: threadedHeavyTestsEnabled))
struct HeavyThreadedWorkloadTests {
  @Test("Every threaded workload, checked", arguments: Registry.acceptedNames, threadedWorkloads)
  func everyBackend(backend: String, workload: Workload) throws {
    let configuration = try Registry.configuration(named: backend)
    let locked = configuration.base == .pymalloc || (configuration.debugHooks && configuration.base != .pymallocThreaded)
    let body = CheckedThreadedSet(workload: workload, objects: 200_000, threadCounts: [4], expectLocked: locked)
    configuration.withNewThreadSharedAllocatorSet(body)
  }
}
