//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Mimalloc
  import AllocatorCore
  import CMimallocShim

  /// mimalloc 2.x through its own API, serving the mem and object families from a heap of the set's own.
  ///
  /// Called on the thread that made the set, it allocates from the set's ``MimallocHeap`` (`mi_heap_malloc`, …),
  /// whose statistics then count that set's blocks only. Called on any other thread it allocates from that
  /// thread's default mimalloc heap (`mi_malloc`, …), since a mimalloc heap serves its own thread only. Frees
  /// (`mi_free`), usable sizes and reallocations work on any block from any thread, so any thread may call.
  ///
  /// Requests are rounded up to a multiple of 16 bytes, at least 16: mimalloc's 8-, 24-, 40- and 56-byte bins are
  /// only 8-aligned, while every larger bin is a multiple of 16. So zero bytes returns a distinct pointer, every
  /// block is 16-aligned, and `reallocate(p, byteCount: 0)` never frees.
  @frozen
  public struct MimallocAllocator: Allocator, @unchecked Sendable {
    /// The set's heap.
    public let heap: MimallocHeap

    /// An allocator on `heap`.
    @inlinable
    public init(heap: MimallocHeap) {
      self.heap = heap
    }

    /// The size asked of mimalloc for a request: a multiple of 16, at least 16, for 16-byte alignment.
    @inlinable
    @inline(__always)
    internal static func _mimallocSize(_ byteCount: Int) -> Int {
      (max(byteCount, AllocationLimits.minimumAlignment) + 15) & ~15
    }

    /// `"mimalloc"`.
    public var name: String { BaseBackend.mimalloc.rawValue }

    /// Any thread may call: other threads than the heap's own are served by their default mimalloc heap.
    public var isThreadSafe: Bool { true }

    @inlinable
    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
      let size = Self._mimallocSize(byteCount)
      return heap.isOwnedByCallingThread ? sm_mi_heap_malloc(heap._heap, size) : sm_mi_malloc(size)
    }

    @inlinable
    public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
      guard let byteCount = AllocationLimits.zeroedByteCount(count: count, stride: stride) else { return nil }
      let size = Self._mimallocSize(byteCount)
      return heap.isOwnedByCallingThread ? sm_mi_heap_zalloc(heap._heap, size) : sm_mi_zalloc(size)
    }

    @inlinable
    public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
      let size = Self._mimallocSize(byteCount)
      return heap.isOwnedByCallingThread
        ? sm_mi_heap_realloc(heap._heap, pointer, size) : sm_mi_realloc(pointer, size)
    }

    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
      sm_mi_free(pointer)
    }

    /// Every block is 16-aligned, so only larger alignments take mimalloc's aligned entry points.
    @inlinable
    public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isSatisfiable(byteCount), AllocationLimits.isValidAlignment(alignment) else { return nil }
      guard alignment > AllocationLimits.minimumAlignment else { return allocate(byteCount: byteCount) }
      return _allocateOverAligned(size: Self._mimallocSize(byteCount), alignment: alignment)
    }

    /// The largest request mimalloc 2.0 serves from its small-object pages (`MI_SMALL_SIZE_MAX`, 1 KiB).
    @usableFromInline
    internal static let _smallSizeLimit = 1024

    /// `mi_heap_malloc_aligned` (or `mi_malloc_aligned` off the heap's thread), working around mimalloc 2.0.9:
    /// for a request of at most 1 KiB aligned to at most its size, it may return a block of the size class's
    /// ordinary alignment when the class's page has no free block. Such a block is given back and the request
    /// made again above 1 KiB, where mimalloc aligns by over-allocating.
    @inlinable
    @inline(never)
    internal func _allocateOverAligned(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
      func aligned(_ size: Int) -> UnsafeMutableRawPointer? {
        heap.isOwnedByCallingThread
          ? sm_mi_heap_malloc_aligned(heap._heap, size, alignment) : sm_mi_malloc_aligned(size, alignment)
      }
      guard let block = aligned(size) else { return nil }
      guard Int(bitPattern: block) & (alignment - 1) != 0 else { return block }
      sm_mi_free(block)
      return aligned(max(size, Self._smallSizeLimit + 1))
    }

    @inlinable
    public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
      sm_mi_usable_size(pointer)
    }

    /// The set's heap: its live blocks and their bytes, read on the heap's own thread (see
    /// ``MimallocHeap/statistics(backend:)``). Blocks other threads allocated from their default heaps are not in it.
    public func statistics() -> AllocatorStatistics {
      heap.statistics(backend: name)
    }

    /// The set's figures as `label = value` lines, then mimalloc's own process-wide report.
    public func statisticsReport() -> String {
      statistics().reportText() + "\nmimalloc's own statistics (mi_stats_print_out):\n" + heap.mimallocReport()
    }
  }
#endif
