//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMallocPreload
import CSystemShim
import PymallocBackend

/// glibc's allocator through its own entry points (`__libc_malloc` and its siblings), never through the process's
/// `malloc`, which is ours: the raw allocator of the process heaps, and the home of every block they do not know
/// (blocks allocated before the library was loaded, or while the backend was being chosen).
///
/// Zero-byte requests go to glibc as they are (glibc returns a distinct pointer for them).
@frozen
@usableFromInline
internal struct _GlibcHeap: Allocator {
  @inlinable
  internal init() {}

  @usableFromInline
  internal var name: String { BaseBackend.malloc.rawValue }

  @usableFromInline
  internal var isThreadSafe: Bool { true }

  @inlinable
  internal func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    return __libc_malloc(byteCount)
  }

  @inlinable
  internal func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.zeroedByteCount(count: count, stride: stride) != nil else { return nil }
    return __libc_calloc(count, stride)
  }

  @inlinable
  internal func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    return __libc_realloc(pointer, byteCount)
  }

  @inlinable
  internal func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    __libc_free(pointer)
  }

  @inlinable
  internal func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    return __libc_memalign(alignment, byteCount)
  }

  /// glibc's `malloc_usable_size`, resolved from libc.so.6 (glibc exports no `__libc_` name for it).
  @inlinable
  internal func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    sm_glibc_entry_points().pointee.malloc_usable_size(pointer)
  }

  @usableFromInline
  internal func statistics() -> AllocatorStatistics {
    let info = sm_glibc_heap_info_now()
    return AllocatorStatistics(
      backend: name, liveBlocks: nil, allocatedBytes: info.uordblks + info.hblkhd, liveRequestedBytes: nil,
      mappedBytes: info.arena + info.hblkhd, residentBytes: nil, extras: [:])
  }
}

extension _GlibcHeap {
  /// Whether `pointer` is a glibc block, told by glibc's chunk header below it: outside every pymalloc arena,
  /// readable, and the 8 bytes below hold a size word whose top two bytes are 0 (any size below 2^48), at least 32
  /// and a multiple of 16 once its three flag bits are masked. For the `_debug` backends, whose blocks have 0xFD
  /// pads there instead: an underflow that leaves either of the two top pads intact is still theirs to report.
  internal static func isChunk(_ pointer: UnsafeMutableRawPointer) -> Bool {
    guard UInt(bitPattern: pointer) % UInt(AllocationLimits.minimumAlignment) == 0,
      !PymallocBlocks.isPymallocBlock(pointer), sm_is_readable(pointer - 16, 16) != 0
    else { return false }
    let size = (pointer - 8).load(as: UInt64.self)
    return size >> 48 == 0 && size & ~7 >= 32 && size & 8 == 0
  }
}
