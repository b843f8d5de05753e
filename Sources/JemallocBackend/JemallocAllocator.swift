//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Jemalloc
  import AllocatorCore
  import CJemallocShim

  /// jemalloc 5.3 through its own API (`mallocx`, `rallocx`, `sdallocx`, `sallocx`), in an arena of its own.
  ///
  /// Each allocator set gets a ``JemallocArena`` of its own (`arenas.create`, with a thread cache from
  /// `tcache.create`), so its statistics count that set's blocks only — the rest of the process, which jemalloc also
  /// serves once linked, uses the automatic arenas. jemalloc locks internally; the explicit thread cache is used only
  /// by the families called from the thread that holds the heap (mem, object); the raw family, which any thread
  /// may call, bypasses it. Threads sharing an uncached allocator each take a cache of their own with
  /// ``withThreadCache()``.
  ///
  /// Requests below 16 bytes are rounded up to 16: jemalloc's 8-byte class is only 8-aligned, while every class from
  /// 16 bytes up is a multiple of 16. So zero bytes returns a distinct pointer, every block is 16-aligned, and
  /// `reallocate(p, byteCount: 0)` never frees.
  @frozen
  public struct JemallocAllocator: Allocator, @unchecked Sendable {
    @usableFromInline
    internal let _flags: Int32
    /// The arena this allocator serves from.
    public let arena: JemallocArena
    /// The explicit thread cache ``withThreadCache()`` made for this copy, which ``releaseThreadCache()`` destroys.
    internal let _ownThreadCache: UInt32?

    /// An allocator on `arena`; `threadCached` adds the arena's explicit thread cache (one thread at a time),
    /// otherwise no thread cache is used and any thread may call.
    public init(arena: JemallocArena, threadCached: Bool) {
      self.init(arena: arena, flags: threadCached ? arena.cachedFlags : arena.uncachedFlags, ownThreadCache: nil)
    }

    internal init(arena: JemallocArena, flags: Int32, ownThreadCache: UInt32?) {
      self.arena = arena
      _flags = flags
      _ownThreadCache = ownThreadCache
    }

    /// The size asked of jemalloc for a request: at least 16 bytes, for 16-byte alignment.
    @inlinable
    @inline(__always)
    internal static func _jemallocSize(_ byteCount: Int) -> Int {
      max(byteCount, AllocationLimits.minimumAlignment)
    }

    /// `"jemalloc"`.
    public var name: String { BaseBackend.jemalloc.rawValue }

    /// Without the explicit thread cache any thread may call; with it, one thread at a time.
    public var isThreadSafe: Bool { _flags == arena.uncachedFlags }

    @inlinable
    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
      return sm_je_mallocx(Self._jemallocSize(byteCount), _flags)
    }

    @inlinable
    public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
      guard let byteCount = AllocationLimits.zeroedByteCount(count: count, stride: stride) else { return nil }
      return sm_je_mallocx(Self._jemallocSize(byteCount), _flags | sm_je_flag_zero())
    }

    @inlinable
    public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
      guard let pointer else { return allocate(byteCount: byteCount) }
      guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
      return sm_je_rallocx(pointer, Self._jemallocSize(byteCount), _flags)
    }

    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
      guard let pointer else { return }
      sm_je_dallocx(pointer, _flags)
    }

    /// `sdallocx`: jemalloc skips the size lookup when the caller knows the size.
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
      sm_je_sdallocx(pointer, Self._jemallocSize(byteCount), _flags)
    }

    @inlinable
    public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
      guard AllocationLimits.isSatisfiable(byteCount), AllocationLimits.isValidAlignment(alignment) else { return nil }
      let alignmentFlag = sm_je_flag_align(max(alignment, AllocationLimits.minimumAlignment))
      return sm_je_mallocx(Self._jemallocSize(byteCount), _flags | alignmentFlag)
    }

    @inlinable
    public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
      sm_je_sallocx(pointer, 0)
    }

    /// The arena's own counters (`stats.arenas.<i>.…`), with jemalloc's process-wide `stats.*` in the extras.
    public func statistics() -> AllocatorStatistics {
      arena.statistics(backend: name)
    }
  }
#endif
