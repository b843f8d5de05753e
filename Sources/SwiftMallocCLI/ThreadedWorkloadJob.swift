//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads

/// A threaded workload in a bench child: the resident heap built on the shared allocator, then a warm-up run and
/// `rounds` timed runs on `threads` threads; the median is the figure.
struct ThreadedWorkloadJob: SharedAllocatorBody {
  let backend: String
  let workload: Workload
  let objects: Int
  let threads: Int
  let rounds: Int
  let resident: ResidentProfile

  func run<A: Allocator>(_ allocator: A, isLocked: Bool) -> BenchRecord {
    let residentHeap = ResidentHeap(resident, on: allocator)
    defer { residentHeap.release() }
    let runner = ThreadedWorkloadRunner(allocator: allocator, objects: objects, threads: threads)
    let record = BenchRecord.measuring(backend: backend, workload: workload, objects: objects, rounds: rounds) {
      runner.run(workload).measurement
    }
    return record.threaded(threads, locked: isLocked)
  }
}
