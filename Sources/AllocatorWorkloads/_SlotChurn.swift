//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The step `threads-local` and `threads-larson` repeat on a slot array: free the block of a slot the generator
/// picks and allocate a new one into it.
@usableFromInline
internal struct _SlotChurn {
  @usableFromInline
  internal let slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>
  @usableFromInline
  internal let count: Int

  @inlinable
  internal init(slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>, count: Int) {
    self.slots = slots
    self.count = count
  }

  /// Allocates a block into every slot: `count` operations.
  @inlinable
  internal func fill<A, Touch>(_ heap: inout _WorkerHeap<A, Touch>) {
    for slot in 0..<count { slots[slot] = heap.allocate() }
  }

  /// `steps` times frees a generator-picked slot's block and allocates into it: 2 × `steps` operations.
  @inlinable
  internal func churn<A, Touch>(_ heap: inout _WorkerHeap<A, Touch>, steps: Int, generator: inout XorShift64) {
    for _ in 0..<steps {
      let slot = Int(generator.next() % UInt64(count))
      heap.free(slots[slot])
      slots[slot] = heap.allocate()
    }
  }

  /// Frees every slot's block: `count` operations.
  @inlinable
  internal func drain<A, Touch>(_ heap: inout _WorkerHeap<A, Touch>) {
    for slot in 0..<count {
      heap.free(slots[slot])
      slots[slot] = nil
    }
  }
}
