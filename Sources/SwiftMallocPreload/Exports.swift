//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMallocPreload
import PymallocBackend

// The Swift entry points behind the process's malloc, free, calloc, realloc, the memalign family,
// malloc_usable_size and the C++ operators (CSwiftMallocPreload forwards each reserved name here). Each reads the
// state word once and calls the backend's inlined fast path.

/// Chooses the backend (the library's constructor calls it once).
@_cdecl("sm_preload_choose_backend")
public func sm_preload_choose_backend() {
  _ProcessAllocator.chooseBackend()
}

/// `malloc`.
@_cdecl("sm_preload_malloc")
public func sm_preload_malloc(_ byteCount: Int) -> UnsafeMutableRawPointer? {
  sm_preload_family_allocate(byteCount, 0, Int32(SM_FAMILY_MALLOC))
}

/// `calloc`.
@_cdecl("sm_preload_calloc")
public func sm_preload_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  switch _ProcessBackend.current {
  case .concurrent: return _GlibcSemantics.calloc(_ProcessAllocator.concurrent, count, size)
  case .locked: return _GlibcSemantics.calloc(_ProcessAllocator.locked, count, size)
  case .concurrentDebug: return _ProcessAllocator.concurrentDebug.allocateZeroed(count, size)
  case .lockedDebug: return _ProcessAllocator.lockedDebug.allocateZeroed(count, size)
  case .glibcDebug: return _ProcessAllocator.glibcDebug.allocateZeroed(count, size)
  case .glibc, .loading, .concurrentReporting, .lockedReporting, .concurrentDebugReporting, .lockedDebugReporting,
    .glibcDebugReporting:
    return __libc_calloc(count, size)
  }
}

/// `realloc`.
@_cdecl("sm_preload_realloc")
public func sm_preload_realloc(_ pointer: UnsafeMutableRawPointer?, _ byteCount: Int) -> UnsafeMutableRawPointer? {
  switch _ProcessBackend.current {
  case .concurrent, .concurrentReporting:
    return _GlibcSemantics.realloc(_ProcessAllocator.concurrent, pointer, byteCount)
  case .locked: return _GlibcSemantics.realloc(_ProcessAllocator.locked, pointer, byteCount)
  case .lockedReporting:
    guard let pointer, !_ProcessAllocator.isGlibcBlock(pointer) else { return __libc_realloc(pointer, byteCount) }
    return _GlibcSemantics.realloc(_ProcessAllocator.locked, pointer, byteCount)
  // While the report is written its own blocks are glibc's, and stay so.
  case .concurrentDebug: return _ProcessAllocator.concurrentDebug.reallocate(pointer, byteCount, keepingGlibcBlocks: false)
  case .concurrentDebugReporting:
    return _ProcessAllocator.concurrentDebug.reallocate(pointer, byteCount, keepingGlibcBlocks: true)
  case .lockedDebug: return _ProcessAllocator.lockedDebug.reallocate(pointer, byteCount, keepingGlibcBlocks: false)
  case .lockedDebugReporting:
    return _ProcessAllocator.lockedDebug.reallocate(pointer, byteCount, keepingGlibcBlocks: true)
  case .glibcDebug: return _ProcessAllocator.glibcDebug.reallocate(pointer, byteCount, keepingGlibcBlocks: false)
  case .glibcDebugReporting:
    return _ProcessAllocator.glibcDebug.reallocate(pointer, byteCount, keepingGlibcBlocks: true)
  case .glibc, .loading: return __libc_realloc(pointer, byteCount)
  }
}

/// `free`.
@_cdecl("sm_preload_free")
public func sm_preload_free(_ pointer: UnsafeMutableRawPointer?) {
  sm_preload_family_free(pointer, Int32(SM_FAMILY_MALLOC))
}

/// `memalign`, `aligned_alloc`, `valloc`, `pvalloc` and `posix_memalign` (their argument rules are in C).
@_cdecl("sm_preload_memalign")
public func sm_preload_memalign(_ alignment: Int, _ byteCount: Int) -> UnsafeMutableRawPointer? {
  sm_preload_family_allocate(byteCount, alignment, Int32(SM_FAMILY_MALLOC))
}

/// `malloc_usable_size`: a pymalloc block's size from the arena map alone (no thread heap is attached for it, so it
/// also answers inside the exit report, which holds the shared lock), a debug block's requested size, anything
/// else glibc's.
@_cdecl("sm_preload_usable_size")
public func sm_preload_usable_size(_ pointer: UnsafeMutableRawPointer?) -> Int {
  guard let pointer else { return 0 }
  switch _ProcessBackend.current {
  case .glibc, .loading: return _GlibcHeap().usableSize(of: pointer)
  default:
    guard sm_preload_is_heap_block(pointer) != 0 else { return _GlibcHeap().usableSize(of: pointer) }
    return sm_preload_heap_block_size(pointer)
  }
}

/// A block of `family` (`SM_FAMILY_*`: malloc and the memalign family, C++'s new, new[]), aligned to `alignment`
/// (0 or up to 16: the default alignment).
@_cdecl("sm_preload_family_allocate")
public func sm_preload_family_allocate(_ byteCount: Int, _ alignment: Int, _ family: Int32) -> UnsafeMutableRawPointer? {
  switch _ProcessBackend.current {
  case .concurrent: return _GlibcSemantics.memalign(_ProcessAllocator.concurrent, alignment, byteCount)
  case .locked: return _GlibcSemantics.memalign(_ProcessAllocator.locked, alignment, byteCount)
  case .concurrentDebug: return _ProcessAllocator.concurrentDebug.allocate(byteCount, alignment: alignment, family: family)
  case .lockedDebug: return _ProcessAllocator.lockedDebug.allocate(byteCount, alignment: alignment, family: family)
  case .glibcDebug: return _ProcessAllocator.glibcDebug.allocate(byteCount, alignment: alignment, family: family)
  case .glibc, .loading, .concurrentReporting, .lockedReporting, .concurrentDebugReporting, .lockedDebugReporting,
    .glibcDebugReporting:
    return alignment > AllocationLimits.minimumAlignment ? __libc_memalign(alignment, byteCount) : __libc_malloc(byteCount)
  }
}

/// Frees a block of `family`; under a `_debug` backend a block of another family is CPython's `bad ID` fault.
@_cdecl("sm_preload_family_free")
public func sm_preload_family_free(_ pointer: UnsafeMutableRawPointer?, _ family: Int32) {
  switch _ProcessBackend.current {
  case .concurrent, .concurrentReporting: _ProcessAllocator.concurrent.deallocate(pointer)
  case .locked: _ProcessAllocator.locked.deallocate(pointer)
  case .lockedReporting:
    guard let pointer, !_ProcessAllocator.isGlibcBlock(pointer) else { return __libc_free(pointer) }
    _ProcessAllocator.locked.deallocate(pointer)
  case .concurrentDebug, .concurrentDebugReporting: _ProcessAllocator.concurrentDebug.free(pointer, family: family)
  case .lockedDebug, .lockedDebugReporting: _ProcessAllocator.lockedDebug.free(pointer, family: family)
  case .glibcDebug, .glibcDebugReporting: _ProcessAllocator.glibcDebug.free(pointer, family: family)
  // Nothing was allocated from a heap before the choice: every block is glibc's.
  case .glibc, .loading: __libc_free(pointer)
  }
}

/// Whether `pointer` is the backend's rather than glibc's (for the calls nested in another, which never enter a
/// heap): a pymalloc block, or under a `_debug` backend any pointer without glibc's chunk header.
@_cdecl("sm_preload_is_heap_block")
public func sm_preload_is_heap_block(_ pointer: UnsafeMutableRawPointer?) -> Int32 {
  guard let pointer else { return 0 }
  // The hooks' pointer, not the state word: a nested call may come from inside the Swift runtime's metadata
  // instantiation, and turning the word into a `_ProcessBackend` may ask for metadata in a debug build.
  guard sm_preload_debug_hooks() != nil else { return PymallocBlocks.isPymallocBlock(pointer) ? 1 : 0 }
  return _GlibcHeap.isChunk(pointer) ? 0 : 1
}

/// The bytes of a block ``sm_preload_is_heap_block(_:)`` said is the backend's that its caller may use: the
/// pymalloc block size, or the size a debug block's header records.
@_cdecl("sm_preload_heap_block_size")
public func sm_preload_heap_block_size(_ pointer: UnsafeMutableRawPointer) -> Int {
  guard sm_preload_debug_hooks() != nil else { return PymallocBlocks.blockSize(of: pointer) }
  return DebugBlocks.requestedSize(of: pointer)
}
