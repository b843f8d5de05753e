//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc
import Foundation
import SwiftMallocCABI
import Testing

/// Long loops, run by `make test` in a release build with `SWIFTMALLOC_HEAVY_TESTS=1`.
let heavyTestsEnabled = ProcessInfo.processInfo.environment["SWIFTMALLOC_HEAVY_TESTS"] == "1"

/// The backends the process heap is tried on (each in a process of its own, since its choice is once per process).
let processHeapBackends = Registry.acceptedNames.filter { $0 != "default" && $0 != "debug" }

/// Selects `backend` for this process's heap, runs the pool while this thread forks `forks` children that each
/// allocate, verify and free on every family, and exits 0 only if nothing was corrupted, some frees crossed
/// threads and every child succeeded.
func runPoolAndFork(backend: String, operationsPerThread: Int, forks: Int) -> Never {
  guard sm_select(backend) == 0 else {
    print("sm_select(\(backend)) refused: \(String(cString: sm_last_error()))")
    exit(3)
  }
  let pool = ThreadPool(threads: 4, operationsPerThread: operationsPerThread)
  pool.start()
  let childFailures = (0..<forks).filter { _ in
    usleep(5_000)  // spreads the forks over the pool's run
    return !forkedChildAllocates()
  }.count
  let result = pool.wait()
  print("\(backend): \(result.corrupted) corrupted, \(result.crossThreadFrees) cross-thread frees, "
    + "\(result.refused) refused, \(childFailures) of \(forks) forked children failed")
  exit(result.corrupted == 0 && result.refused == 0 && result.crossThreadFrees > 0 && childFailures == 0 ? 0 : 1)
}

/// Forks; the child allocates, verifies and frees on every family and exits 0 when all was well. Returns whether
/// the child exited 0 within 120 s (a child that deadlocked on a lock held across the fork is killed and fails;
/// the bound is wide because sanitizer builds on a loaded machine are slow).
func forkedChildAllocates() -> Bool {
  let child = fork()
  if child == 0 {
    var intact = true
    for size in [1, 16, 100, 512, 513, 5_000, 100_000] {
      for family in 0..<3 {
        guard let block = FamilyBlock.allocate(family: family, size: size) else { _exit(2) }
        intact = intact && block.isIntact
        block.free()
      }
    }
    _exit(intact ? 0 : 1)
  }
  guard child > 0 else { return false }
  var status: Int32 = 0
  for _ in 0..<12_000 {
    if waitpid(child, &status, WNOHANG) == child { return status == 0 }
    usleep(10_000)
  }
  kill(child, SIGKILL)
  waitpid(child, &status, 0)
  return false
}

@Suite("Process heap under threads and fork")
struct ProcessHeapThreadTests {
  @Test(
    "4 threads × 50 000 mixed operations, a third of frees on another thread, while the main thread forks",
    arguments: processHeapBackends)
  func threadsAndFork(backend: String) async {
    await #expect(processExitsWith: .success) { [backend] in
      runPoolAndFork(backend: backend, operationsPerThread: 50_000, forks: 8)
    }
  }
}

@Suite("Heavy process heap: 4 threads × 1 000 000 operations", .enabled(if: heavyTestsEnabled))
struct HeavyProcessHeapTests {
  @Test("4 × 1 000 000 mixed operations with cross-thread frees and forks", arguments: processHeapBackends)
  func million(backend: String) async {
    await #expect(processExitsWith: .success) { [backend] in
      runPoolAndFork(backend: backend, operationsPerThread: 1_000_000, forks: 32)
    }
  }
}
