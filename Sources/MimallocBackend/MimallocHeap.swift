//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Mimalloc
  import AllocatorCore
  import CMimallocShim
  import Glibc

  /// A first-class mimalloc heap (`mi_heap_new`) of one allocator set, and the thread that made it.
  ///
  /// A mimalloc heap belongs to the thread that made it: only that thread may allocate from it, collect it, read
  /// its blocks or destroy it, while any thread may free its blocks (`mi_free`). ``isOwnedByCallingThread`` tells
  /// the owner from every other thread with a register compare and one load (`sm_mi_is_owner`); it also stays
  /// false for a later thread that reuses the owner's thread pointer after the owner exited, when mimalloc has
  /// deleted the heap and moved its blocks to that thread's own heap.
  @frozen
  public struct MimallocHeap: @unchecked Sendable {
    /// The `mi_heap_t *` of the set.
    @usableFromInline
    internal let _heap: OpaquePointer
    /// The thread that made `_heap`.
    @usableFromInline
    internal let _owner: sm_mi_owner

    /// A new heap owned by the calling thread.
    ///
    /// - Precondition: mimalloc is loaded (the registry refuses `mimalloc` otherwise) and has memory for a heap.
    public init() {
      if let reason = sm_mi_load() { preconditionFailure("mimalloc is unavailable: \(String(cString: reason))") }
      guard let heap = sm_mi_heap_new() else { preconditionFailure("mimalloc could not make a heap (out of memory)") }
      _heap = heap
      _owner = sm_mi_current_owner()
    }

    /// Whether the calling thread is the one that made the heap, and still the same thread.
    @inlinable
    @inline(__always)
    public var isOwnedByCallingThread: Bool { sm_mi_is_owner(_owner) }

    /// Destroys the heap with every block still in it (`mi_heap_destroy`) when called on its own thread.
    ///
    /// From another thread the heap cannot be touched: it is left to mimalloc, which deletes it when its thread
    /// exits and keeps its blocks valid until they are freed.
    public func destroy() {
      if isOwnedByCallingThread { sm_mi_heap_destroy(_heap) }
    }

    /// The heap's live blocks and their block bytes (`mi_heap_visit_blocks` over its pages, after collecting the
    /// blocks other threads freed), its pages' committed bytes, and mimalloc's process-wide committed bytes in
    /// the extras (`mi_process_info`). The heap can only be read on its own thread; elsewhere only the process
    /// figures are given.
    public func statistics(backend: String) -> AllocatorStatistics {
      let process = sm_mi_process_figures_now()
      var extras = [
        "mi_process_info.current_commit": process.current_commit, "mi_process_info.peak_commit": process.peak_commit,
      ]
      guard isOwnedByCallingThread else {
        return AllocatorStatistics(
          backend: backend, liveBlocks: nil, allocatedBytes: 0, liveRequestedBytes: nil, mappedBytes: 0,
          residentBytes: nil, extras: extras)
      }
      let census = sm_mi_heap_census_now(_heap)
      extras["heap.reserved"] = census.reserved_bytes
      return AllocatorStatistics(
        backend: backend, liveBlocks: census.blocks, allocatedBytes: census.block_bytes, liveRequestedBytes: nil,
        mappedBytes: census.committed_bytes, residentBytes: nil, extras: extras)
    }

    /// mimalloc's own report (`mi_stats_print_out`), process-wide as mimalloc keeps its statistics.
    public func mimallocReport() -> String {
      guard let text = sm_mi_stats_text() else { return "" }
      defer { free(text) }
      return String(cString: text)
    }
  }
#endif
