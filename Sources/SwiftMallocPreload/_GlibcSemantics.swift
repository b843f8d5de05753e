//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMallocPreload

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// glibc's rules for its allocation calls, over any backend `A`: `errno = ENOMEM` on failure, `realloc(p, 0)` frees
/// and returns NULL, `realloc(NULL, n)` allocates, `calloc` refuses an overflowing product, alignments above 16 are
/// glibc's own (`__libc_memalign`, which rounds one that is not a power of two up).
///
/// Generic so that each backend's calls are its inlined fast paths.
internal enum _GlibcSemantics {
  @inlinable
  @inline(__always)
  internal static func malloc<A: Allocator>(_ heap: A, _ byteCount: Int) -> UnsafeMutableRawPointer? {
    heap.allocate(byteCount: byteCount) ?? outOfMemory()
  }

  @inlinable
  @inline(__always)
  internal static func calloc<A: Allocator>(_ heap: A, _ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    heap.allocateZeroed(count: count, stride: size) ?? outOfMemory()
  }

  @inlinable
  @inline(__always)
  internal static func realloc<A: Allocator>(
    _ heap: A, _ pointer: UnsafeMutableRawPointer?, _ byteCount: Int
  ) -> UnsafeMutableRawPointer? {
    guard let pointer else { return malloc(heap, byteCount) }
    guard byteCount != 0 else {
      heap.deallocate(pointer)
      return nil
    }
    return heap.reallocate(pointer, byteCount: byteCount) ?? outOfMemory()
  }

  @inlinable
  @inline(__always)
  internal static func memalign<A: Allocator>(_ heap: A, _ alignment: Int, _ byteCount: Int)
    -> UnsafeMutableRawPointer?
  {
    guard alignment <= AllocationLimits.minimumAlignment else { return __libc_memalign(alignment, byteCount) }
    return malloc(heap, byteCount)
  }

  /// Sets `errno` to `ENOMEM` and returns `nil`.
  @usableFromInline
  @inline(never)
  internal static func outOfMemory() -> UnsafeMutableRawPointer? {
    errno = ENOMEM
    return nil
  }
}
