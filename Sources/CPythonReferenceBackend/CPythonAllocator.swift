//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if CPythonReference
  import AllocatorCore
  import CPython

  /// The benchmark reference: CPython 3.11's own object allocator (`PyObject_Malloc` and friends, the real C
  /// pymalloc) from libpython, initialized once with `Py_InitializeEx(0)`.
  ///
  /// It is never a family of a configuration: `swiftmalloc bench` and `replay` use it to express every figure as a
  /// ratio to the real pymalloc measured in the same run. Alignments above 16 bytes are not offered (`nil`), since
  /// CPython's allocator has no aligned entry point.
  @frozen
  public struct CPythonAllocator: Allocator {
    /// Initializes the interpreter on first use.
    public init() {
      _ = CPythonAllocator._interpreter
    }

    private static let _interpreter: Void = Py_InitializeEx(0)

    /// `"cpython"`.
    public var name: String { "cpython" }

    @inlinable
    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
      return PyObject_Malloc(byteCount)
    }

    @inlinable
    public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.zeroedByteCount(count: count, stride: stride) != nil else { return nil }
      return PyObject_Calloc(count, stride)
    }

    @inlinable
    public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
      return PyObject_Realloc(pointer, byteCount)
    }

    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
      PyObject_Free(pointer)
    }

    @inlinable
    public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isValidAlignment(alignment), alignment <= AllocationLimits.minimumAlignment else {
        return nil
      }
      return allocate(byteCount: byteCount)
    }

    /// CPython does not expose block sizes; the reference reports 0 (benchmarks never ask).
    public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int { 0 }

    /// `sys.getallocatedblocks()` as live blocks; CPython exposes no byte counters.
    public func statistics() -> AllocatorStatistics {
      AllocatorStatistics(
        backend: name, liveBlocks: Int(_Py_GetAllocatedBlocks()), allocatedBytes: 0, liveRequestedBytes: nil,
        mappedBytes: 0, residentBytes: nil)
    }
  }
#endif
