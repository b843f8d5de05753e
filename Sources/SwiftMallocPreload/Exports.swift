//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

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
  switch _ProcessBackend.current {
  case .concurrent: return _GlibcSemantics.malloc(_ProcessAllocator.concurrent, byteCount)
  case .locked: return _GlibcSemantics.malloc(_ProcessAllocator.locked, byteCount)
  case .glibc, .loading, .concurrentReporting, .lockedReporting: return __libc_malloc(byteCount)
  }
}

/// `calloc`.
@_cdecl("sm_preload_calloc")
public func sm_preload_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  switch _ProcessBackend.current {
  case .concurrent: return _GlibcSemantics.calloc(_ProcessAllocator.concurrent, count, size)
  case .locked: return _GlibcSemantics.calloc(_ProcessAllocator.locked, count, size)
  case .glibc, .loading, .concurrentReporting, .lockedReporting: return __libc_calloc(count, size)
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
  case .glibc, .loading: return __libc_realloc(pointer, byteCount)
  }
}

/// `free`.
@_cdecl("sm_preload_free")
public func sm_preload_free(_ pointer: UnsafeMutableRawPointer?) {
  switch _ProcessBackend.current {
  case .concurrent, .concurrentReporting: _ProcessAllocator.concurrent.deallocate(pointer)
  case .locked: _ProcessAllocator.locked.deallocate(pointer)
  case .lockedReporting:
    guard let pointer, !_ProcessAllocator.isGlibcBlock(pointer) else { return __libc_free(pointer) }
    _ProcessAllocator.locked.deallocate(pointer)
  // Nothing was allocated from a heap before the choice: every block is glibc's.
  case .glibc, .loading: __libc_free(pointer)
  }
}

/// `memalign`, `aligned_alloc`, `valloc`, `pvalloc` and `posix_memalign` (their argument rules are in C).
@_cdecl("sm_preload_memalign")
public func sm_preload_memalign(_ alignment: Int, _ byteCount: Int) -> UnsafeMutableRawPointer? {
  switch _ProcessBackend.current {
  case .concurrent: return _GlibcSemantics.memalign(_ProcessAllocator.concurrent, alignment, byteCount)
  case .locked: return _GlibcSemantics.memalign(_ProcessAllocator.locked, alignment, byteCount)
  case .glibc, .loading, .concurrentReporting, .lockedReporting: return __libc_memalign(alignment, byteCount)
  }
}

/// `malloc_usable_size`: a pymalloc block's size from the arena map alone (no thread heap is attached for it, so it
/// also answers inside the exit report, which holds the shared lock), anything else glibc's.
@_cdecl("sm_preload_usable_size")
public func sm_preload_usable_size(_ pointer: UnsafeMutableRawPointer?) -> Int {
  guard let pointer else { return 0 }
  switch _ProcessBackend.current {
  case .glibc, .loading: return _GlibcHeap().usableSize(of: pointer)
  default:
    guard PymallocBlocks.isPymallocBlock(pointer) else { return _GlibcHeap().usableSize(of: pointer) }
    return PymallocBlocks.blockSize(of: pointer)
  }
}

/// C++'s `operator new` forms: a block of `family` ('n' new, 'a' new[]), aligned to `alignment`.
@_cdecl("sm_preload_family_allocate")
public func sm_preload_family_allocate(_ byteCount: Int, _ alignment: Int, _ family: Int32) -> UnsafeMutableRawPointer? {
  sm_preload_memalign(alignment, byteCount)
}

/// C++'s `operator delete` forms: frees a block of `family`.
@_cdecl("sm_preload_family_free")
public func sm_preload_family_free(_ pointer: UnsafeMutableRawPointer?, _ family: Int32) {
  sm_preload_free(pointer)
}

/// Whether `pointer` lies in a pymalloc arena (for the calls nested in another, which never enter a heap).
@_cdecl("sm_preload_is_pymalloc_block")
public func sm_preload_is_pymalloc_block(_ pointer: UnsafeMutableRawPointer?) -> Int32 {
  guard let pointer else { return 0 }
  return PymallocBlocks.isPymallocBlock(pointer) ? 1 : 0
}

/// The block size of a pymalloc block (for the calls nested in another).
@_cdecl("sm_preload_pymalloc_block_size")
public func sm_preload_pymalloc_block_size(_ pointer: UnsafeMutableRawPointer) -> Int {
  PymallocBlocks.blockSize(of: pointer)
}
