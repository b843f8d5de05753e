//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CPymallocShim

/// What the thread heaps of one ``ConcurrentPymallocHeap`` share, behind one pointer; everything mutable is guarded
/// by the shared lock (`sm_pymalloc_shared_lock`).
///
///     heaps           every thread heap the allocator made, live or abandoned, through `_RemoteFreeState.nextHeap`
///     abandonedHeaps  the heaps whose thread ended, through `nextAbandoned`, adopted first by threads that need one
///     rawFreesWithoutHeap  raw blocks freed by threads with no heap here (atomic, not locked), counted off the sum
///
/// Its thread heaps take arenas from the process's shared source (`_SharedArenas`).
@usableFromInline
internal struct _ConcurrentState {
  /// The tag of this allocator in the threads' heap slot: never reused in the process.
  @usableFromInline
  internal let serial: UInt

  /// The thread-exit key whose destructor abandons the thread's heap.
  internal let key: Int

  /// The options every thread heap is made with.
  internal let options: PymallocOptions

  /// Every thread heap of the allocator.
  internal var heaps: _HeapStatePointer? = nil

  /// The abandoned thread heaps.
  internal var abandonedHeaps: _HeapStatePointer? = nil

  /// Raw blocks freed by threads that have no heap of this allocator: a thread's heap counts the raw blocks it
  /// allocates, and the one that frees such a block counts it off — or this word does, for a thread without a heap.
  internal var rawFreesWithoutHeap: UInt = 0

  /// The next concurrent allocator of the process (`sm_pymalloc_concurrent_allocators`'s list).
  internal var nextAllocator: UnsafeMutablePointer<_ConcurrentState>? = nil

  internal init(serial: UInt, key: Int, options: PymallocOptions) {
    self.serial = serial
    self.key = key
    self.options = options
  }
}

extension UnsafeMutablePointer where Pointee == _ConcurrentState {
  /// ``_ConcurrentState/rawFreesWithoutHeap``, as a word any thread adds to atomically.
  internal var _rawFreesWithoutHeapWord: UnsafeMutablePointer<UInt> {
    // Safe: the state is mapped memory that lives as long as the allocator, and the field is stored.
    (UnsafeMutableRawPointer(self) + MemoryLayout<_ConcurrentState>.offset(of: \.rawFreesWithoutHeap)!)
      .assumingMemoryBound(to: UInt.self)
  }

  /// Calls `body` on each of the allocator's heaps, live and abandoned (call under the shared lock). Allocates
  /// nothing, so that the fork handler may use it.
  internal func _forEachHeap(_ body: (_HeapStatePointer) -> Void) {
    var next = pointee.heaps
    while let heap = next {
      next = heap._remoteFrees.pointee.nextHeap
      body(heap)
    }
  }
}
