//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSystemShim

/// glibc's allocator, called through the entry points `dlsym` found in libc.so.6.
///
/// With jemalloc linked into the same binary the plain `malloc` symbol is jemalloc's; this allocator still
/// reaches glibc, so its blocks never cross heaps. It holds no state of its own and is thread-safe, as the raw
/// family must be. Zero-byte requests become 1-byte requests, as `PyMem_RawMalloc` does, so that they return a
/// distinct pointer and `reallocate(p, byteCount: 0)` never frees.
@frozen
public struct SystemAllocator: Allocator, Sendable {
  /// Creates a handle on glibc's heap.
  @inlinable
  public init() {}

  /// `"malloc"`, as `PYTHONMALLOC` names glibc.
  public var name: String { BaseBackend.malloc.rawValue }

  /// glibc locks internally: any thread may call.
  public var isThreadSafe: Bool { true }

  @inlinable
  public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    return _glibc.pointee.malloc(max(byteCount, 1))
  }

  @inlinable
  public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    guard let byteCount = AllocationLimits.zeroedByteCount(count: count, stride: stride) else { return nil }
    return _glibc.pointee.calloc(max(byteCount, 1), 1)
  }

  @inlinable
  public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    return _glibc.pointee.realloc(pointer, max(byteCount, 1))
  }

  @inlinable
  public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    _glibc.pointee.free(pointer)
  }

  @inlinable
  public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount), AllocationLimits.isValidAlignment(alignment) else { return nil }
    var result: UnsafeMutableRawPointer?
    let status = _glibc.pointee.posix_memalign(
      &result, max(alignment, AllocationLimits.minimumAlignment), max(byteCount, 1))
    return status == 0 ? result : nil
  }

  @inlinable
  public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    _glibc.pointee.malloc_usable_size(pointer)
  }

  /// glibc's `mallinfo2`: allocated = in-use heap chunks + mmapped chunks. glibc does not count blocks.
  ///
  /// The numbers cover the whole glibc heap of the process, which is this allocator's alone only when another
  /// allocator (jemalloc) serves the process's `malloc`.
  public func statistics() -> AllocatorStatistics {
    let info = sm_glibc_heap_info_now()
    return AllocatorStatistics(
      backend: name, liveBlocks: nil, allocatedBytes: info.uordblks + info.hblkhd, liveRequestedBytes: nil,
      mappedBytes: info.arena + info.hblkhd, residentBytes: nil,
      extras: [
        "mallinfo2.arena": info.arena, "mallinfo2.hblkhd": info.hblkhd,
        "mallinfo2.uordblks": info.uordblks, "mallinfo2.fordblks": info.fordblks,
      ])
  }

  @inlinable
  @inline(__always)
  internal var _glibc: UnsafePointer<sm_glibc_table> { sm_glibc_entry_points() }
}
