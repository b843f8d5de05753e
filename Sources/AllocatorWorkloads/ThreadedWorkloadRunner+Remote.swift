//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension ThreadedWorkloadRunner {
  /// `threads-remote`: the first ``remoteProducers`` threads allocate ``remoteBlocks`` blocks and queue them in
  /// batches, the others free them; one thread alone does both, batch by batch.
  @inlinable
  internal func _runRemote<Touch: _BlockTouch>(touching: Touch.Type) -> UInt64 {
    let queue = _tables.queue
    let producers = remoteProducers
    queue.reset(producers: producers)
    return _WorkerThreads.run(threads, sharing: allocator) { worker, allocator in
      var heap = _heap(allocator, worker: worker, touching: Touch.self)
      guard worker < producers else {
        heap.counters.pointee.operations = Self._consume(queue, &heap)
        return
      }
      let blocks = remoteBlocks / producers + (worker < remoteBlocks % producers ? 1 : 0)
      heap.counters.pointee.operations = Self._produce(blocks, into: queue, &heap, consumingEach: threads == 1)
    }
  }

  /// Allocates `blocks` blocks into batches and queues each full one; `consumingEach` takes each batch straight
  /// back and frees it (the single thread's two parts). Returns the operations made.
  @inlinable
  internal static func _produce<Touch>(
    _ blocks: Int, into queue: _BatchQueue, _ heap: inout _WorkerHeap<A, Touch>, consumingEach: Bool
  ) -> Int {
    var made = 0
    var operations = 0
    while made < blocks {
      let batch = queue.takeEmpty()
      let slots = queue.slots(of: batch)
      let count = min(_BatchQueue.batchSize, blocks - made)
      for slot in 0..<count { slots[slot] = heap.allocate() }
      queue.pushFull(batch, count: count)
      made += count
      operations += count
      if consumingEach, let full = queue.popFull() { operations += _free(full, from: queue, &heap) }
    }
    queue.producerFinished()
    return operations
  }

  /// Frees the blocks of queued batches until the producers are done and the queue is empty. Returns the frees.
  @inlinable
  internal static func _consume<Touch>(_ queue: _BatchQueue, _ heap: inout _WorkerHeap<A, Touch>) -> Int {
    var operations = 0
    while let full = queue.popFull() { operations += _free(full, from: queue, &heap) }
    return operations
  }

  /// Frees a full batch's blocks and gives the batch back empty. Returns its count.
  @inlinable
  internal static func _free<Touch>(
    _ full: (batch: Int, count: Int), from queue: _BatchQueue, _ heap: inout _WorkerHeap<A, Touch>
  ) -> Int {
    let slots = queue.slots(of: full.batch)
    for slot in 0..<full.count {
      heap.free(slots[slot])
      slots[slot] = nil
    }
    queue.returnEmpty(full.batch)
    return full.count
  }
}
