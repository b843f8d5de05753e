//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  #error("PymallocBackend maps its arenas with POSIX mmap")
#endif

/// The only place pymalloc talks to the kernel: anonymous mappings for arenas.
internal enum _MemoryMapping {
  /// Maps `byteCount` bytes of zeroed, private, readable and writable memory, or returns `nil`.
  internal static func map(_ byteCount: Int) -> UnsafeMutableRawPointer? {
    guard byteCount > 0 else { return nil }
    let pointer = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    guard let pointer, pointer != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
    return pointer
  }

  /// Gives the pages of `byteCount` bytes at `pointer` back to the kernel; they read as zeros afterwards when
  /// the memory is private and anonymous, and keep their contents or read as zeros otherwise.
  internal static func discard(_ pointer: UnsafeMutableRawPointer, _ byteCount: Int) {
    _ = madvise(pointer, byteCount, MADV_DONTNEED)
  }

  /// Unmaps memory that ``map(_:)`` returned.
  internal static func unmap(_ pointer: UnsafeMutableRawPointer, _ byteCount: Int) {
    let status = munmap(pointer, byteCount)
    assert(status == 0, "munmap(\(pointer), \(byteCount)) failed with errno \(errno)")
  }
}
