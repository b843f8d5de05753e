//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if CPythonReference
  import AllocatorCore
  import CPython
  import CSystemShim
  import Glibc

  /// The benchmark reference: CPython 3.11's own object allocator (`PyObject_Malloc` and friends, the real C
  /// pymalloc) from libpython, initialized once with `Py_InitializeEx(0)`.
  ///
  /// Its raw domain (requests above 512 bytes) is glibc's malloc, reached through `dlsym` as ``SystemAllocator``
  /// reaches it: that is what a stock Debian CPython uses, and what the pymalloc backend's raw family uses, whereas
  /// the process `malloc` of a binary linked with jemalloc is jemalloc's.
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

    private static let _interpreter: Void = {
      _useGlibcForRawDomain()
      Py_InitializeEx(0)
      var installed = PyMemAllocatorEx()
      PyMem_GetAllocator(PYMEM_DOMAIN_RAW, &installed)
      precondition(installed.ctx == _rawDomainMarker, "CPython replaced the raw-domain allocator during start-up")
    }()

    /// Identifies the raw-domain allocator installed here (its `ctx`).
    nonisolated(unsafe) private static let _rawDomainMarker = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Installs glibc's entry points as the raw domain, with CPython's convention that a 0-byte request asks for 1.
    private static func _useGlibcForRawDomain() {
      var raw = PyMemAllocatorEx(
        ctx: _rawDomainMarker,
        malloc: { _, size in sm_glibc_entry_points().pointee.malloc(max(size, 1)) },
        calloc: { _, count, size in
          count == 0 || size == 0
            ? sm_glibc_entry_points().pointee.calloc(1, 1) : sm_glibc_entry_points().pointee.calloc(count, size)
        },
        realloc: { _, pointer, size in sm_glibc_entry_points().pointee.realloc(pointer, max(size, 1)) },
        free: { _, pointer in sm_glibc_entry_points().pointee.free(pointer) })
      PyMem_SetAllocator(PYMEM_DOMAIN_RAW, &raw)
    }

    /// `"cpython"`.
    public var name: String { "cpython" }

    /// CPython's pymalloc relies on the GIL: one thread at a time.
    public var isThreadSafe: Bool { false }

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

    /// CPython's `sys._debugmallocstats()` report of the interpreter's heap as it stands.
    public func statisticsReport() -> String {
      var buffer: UnsafeMutablePointer<CChar>?
      var length = 0
      guard let stream = open_memstream(&buffer, &length) else { return "" }
      _PyObject_DebugMallocStats(stream)
      fclose(stream)
      defer { free(buffer) }
      return buffer.map { String(cString: $0) } ?? ""
    }
  }
#endif
