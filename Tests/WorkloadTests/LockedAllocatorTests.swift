//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

@testable import AllocatorCore
@testable import AllocatorWorkloads
import Glibc
import Testing

@Suite("LockedAllocator")
struct LockedAllocatorTests {
  @Test("A call holds the mutex from before the base is entered until the base returns")
  func callHoldsTheMutex() {
    let probe = ProbeState()
    let locked = LockedAllocator(ProbeAllocator(state: probe))
    defer { locked.destroy() }
    probe.gateClosed.store(true, ordering: .sequentiallyConsistent)
    let caller = _WorkerThreads._start { _ = locked.allocate(byteCount: 16) }
    while probe.entered.load(ordering: .sequentiallyConsistent) == 0 { sched_yield() }
    #expect(pthread_mutex_trylock(locked._mutex) == EBUSY)
    probe.gateClosed.store(false, ordering: .sequentiallyConsistent)
    pthread_join(caller, nil)
    #expect(pthread_mutex_trylock(locked._mutex) == 0)
    pthread_mutex_unlock(locked._mutex)
  }

  @Test("Calls from two threads never overlap inside the base")
  func callsAreSerialized() {
    let probe = ProbeState()
    let locked = LockedAllocator(ProbeAllocator(state: probe))
    defer { locked.destroy() }
    _ = _WorkerThreads.run(2, sharing: locked) { _, allocator in
      for _ in 0..<2_000 { _ = allocator.allocate(byteCount: 16) }
    }
    #expect(probe.entered.load(ordering: .sequentiallyConsistent) == 4_000)
    #expect(probe.mostInside.load(ordering: .sequentiallyConsistent) == 1)
  }
}
