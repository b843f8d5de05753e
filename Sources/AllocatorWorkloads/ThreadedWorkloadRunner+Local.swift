//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension ThreadedWorkloadRunner {
  /// `threads-local`: every thread churns slots of its own.
  @inlinable
  internal func _runLocal<Touch: _BlockTouch>(touching: Touch.Type) -> UInt64 {
    let steps = localStepsPerThread
    return _WorkerThreads.run(threads, sharing: allocator) { worker, allocator in
      var heap = _heap(allocator, worker: worker, touching: Touch.self)
      var generator = Self._generator(worker: worker)
      let slots = _slotArray(worker)
      slots.fill(&heap)
      slots.churn(&heap, steps: steps, generator: &generator)
      slots.drain(&heap)
      heap.counters.pointee.operations = 2 * slots.count + 2 * steps
    }
  }
}
