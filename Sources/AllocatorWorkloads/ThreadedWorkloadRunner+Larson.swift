//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension ThreadedWorkloadRunner {
  /// `threads-larson`: every thread churns a slot array, then hands it to the next thread and takes its
  /// predecessor's, ``larsonRounds`` times; it frees the array it holds at the end.
  @inlinable
  internal func _runLarson<Touch: _BlockTouch>(touching: Touch.Type) -> UInt64 {
    let rounds = larsonRounds
    let handover = _tables.handover
    return _WorkerThreads.run(threads, sharing: allocator) { worker, allocator in
      var heap = _heap(allocator, worker: worker, touching: Touch.self)
      var generator = Self._generator(worker: worker)
      var array = worker
      _slotArray(array).fill(&heap)
      for _ in 0..<rounds {
        let slots = _slotArray(array)
        slots.churn(&heap, steps: slots.count, generator: &generator)
        array = handover.pass(array, from: worker)
      }
      _slotArray(array).drain(&heap)
      heap.counters.pointee.operations = 2 * liveSlotsPerThread * (rounds + 1)
    }
  }
}
