//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Pymalloc
  import AllocatorCore
  import PymallocBackend

  /// A pymalloc heap whose pointers can be classified, single-owner or concurrent.
  protocol _ClassifyingHeap: Allocator {
    /// What `pointer` is to the heap: a block start, inside a block, or foreign.
    func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership
  }

  extension PymallocHeap: _ClassifyingHeap {}
  extension ConcurrentPymallocHeap: _ClassifyingHeap {}
#endif
