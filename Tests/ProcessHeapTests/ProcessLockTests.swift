//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc
import Foundation
import SwiftMallocCABI
import Testing

/// Selects `backend`, makes the process heap, then takes the process lock and has another thread allocate, write and
/// free a block on each of `families` (0 raw, 1 mem, 2 object). Exits 0 if that thread finished while the lock was
/// held, 1 if it was still blocked after 5 s (it waits on the lock: the family takes it), 2 if it saw a fault.
func callWhileLockHeld(backend: String, families: [Int]) -> Never {
  guard sm_select(backend) == 0 else { exit(3) }
  SwiftMallocCABI.sm_raw_free(SwiftMallocCABI.sm_raw_malloc(1))  // the heap is made (under the lock, briefly) before this thread takes the lock
  sm_process_lock()
  let finished = DispatchSemaphore(value: 0)
  let outcome = LockedCallOutcome()
  Thread {
    for family in families {
      guard let block = FamilyBlock.allocate(family: family, size: 100) else {
        outcome.intact = false
        continue
      }
      outcome.intact = outcome.intact && block.isIntact
      block.free()
    }
    finished.signal()
  }.start()
  let unblocked = finished.wait(timeout: .now() + 5) == .success
  exit(unblocked ? (outcome.intact ? 0 : 2) : 1)
}

/// What the other thread saw, read after its semaphore (or never, if it stayed blocked).
final class LockedCallOutcome: @unchecked Sendable {
  var intact = true
}

@Suite("The process lock: who takes it")
struct ProcessLockTests {
  @Test("A raw call goes through while another thread holds the process lock", arguments: processHeapBackends)
  func rawTakesNoLock(backend: String) async {
    await #expect(processExitsWith: .success) { [backend] in
      callWhileLockHeld(backend: backend, families: [0])
    }
  }

  @Test(
    "The concurrent pymalloc's process heap takes no lock on any family",
    arguments: ["pymalloc_mt", "pymalloc_mt_debug"])
  func concurrentTakesNoLock(backend: String) async {
    await #expect(processExitsWith: .success) { [backend] in
      callWhileLockHeld(backend: backend, families: [0, 1, 2])
    }
  }

  @Test("The single-owner pymalloc's object family waits for the lock", arguments: ["pymalloc", "pymalloc_debug"])
  func singleOwnerWaits(backend: String) async {
    await #expect(processExitsWith: .failure) { [backend] in
      callWhileLockHeld(backend: backend, families: [2])
    }
  }
}
