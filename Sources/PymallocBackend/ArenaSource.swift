//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Where a ``PymallocHeap`` gets its 1 MiB arenas and where it returns them (`PyObject_SetArenaAllocator`).
///
/// The default, ``memoryMap``, maps anonymous private memory with `mmap` and unmaps it with `munmap`, so a
/// released arena really goes back to the operating system. Tests inject failures by returning `nil` from
/// ``obtain``; hosts can hand the heap memory of their own.
///
/// The heap calls ``obtain`` with ``PymallocHeap/arenaByteCount`` and later calls ``release`` with the same
/// pointer and size. The memory must be readable and writable; it need not be aligned beyond 16 bytes (an arena
/// whose base is not 16 KiB-aligned loses one pool).
public struct ArenaSource {
  /// Returns `byteCount` bytes of fresh memory, or `nil` when none is available.
  public var obtain: (_ byteCount: Int) -> UnsafeMutableRawPointer?

  /// Takes back memory that ``obtain`` returned, with the size it was asked for.
  public var release: (_ pointer: UnsafeMutableRawPointer, _ byteCount: Int) -> Void

  /// Creates an arena source from its two functions.
  public init(
    obtain: @escaping (_ byteCount: Int) -> UnsafeMutableRawPointer?,
    release: @escaping (_ pointer: UnsafeMutableRawPointer, _ byteCount: Int) -> Void
  ) {
    self.obtain = obtain
    self.release = release
  }

  /// Anonymous private `mmap` and `munmap`: CPython's arena allocator on POSIX since 3.3.
  public static var memoryMap: ArenaSource {
    ArenaSource(obtain: _MemoryMapping.map, release: _MemoryMapping.unmap)
  }
}
