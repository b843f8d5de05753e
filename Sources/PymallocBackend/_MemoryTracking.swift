//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CPymallocShim

/// What pymalloc tells AddressSanitizer and valgrind's memcheck, so that both see inside its arenas.
///
/// Compiled in by `-Xswiftc -DSWIFTMALLOC_ASAN -Xcc -DSWIFTMALLOC_ASAN` with `--sanitize=address` (`make asan`)
/// and by the same flags for `SWIFTMALLOC_VALGRIND` (`make valgrind`). In any other build every hook is empty and
/// inlined, so an optimised build has neither call nor branch for it (a debug build calls the empty functions, as it
/// calls `_checkInvariants()`). Swift has no conditional for a sanitizer, and the C helpers cannot see one either
/// (see `sm_memory_tracking.h`), hence the defines.
///
/// Inside an attached arena every byte outside the live blocks and the pool headers is inaccessible:
///
///     ├─lost─┼─header─┬─ live ─┬─ free ─┬─ virgin … ─┬─ tail ─┼─header─┬─ never carved … ─┼─ … ─┼─lost─┤
///       no     yes      yes*     no       no           no       yes      no                       no
///
/// - *ASan opens a live block exactly as far as requested, so a write one byte past the request is caught even
///   inside the block; ``PymallocHeap/usableSize(of:)`` opens the whole block (the caller may then use all of it)
///   and an in-place reallocation opens exactly the new size. (ASan names a fault after the next 8-byte granule:
///   one in a block's partly open last granule, next to a live block, is an `unknown-crash`.) memcheck opens whole
///   blocks: its in-place resize needs the old requested size, which pymalloc does not keep.
/// - The allocator reaches a free block's first word, its free-list link, only through ``link(of:)`` and
///   ``setLink(_:of:)``, C helpers ASan does not instrument and that open the word to memcheck for the one access.
/// - Pool headers stay accessible, never-carved pools' included (`ownership(of:)` reads their arena index): the
///   allocator's Swift code reads and writes headers throughout, and Swift has no per-function opt-out of ASan's
///   instrumentation; routing every header access through C helpers would rewrite the allocator. An overflow from
///   a pool's first block down into its header, or from the last block of the 16-byte class (no quantization tail)
///   into the next pool's header, is not seen.
/// - To memcheck each heap is a memory pool (`VALGRIND_CREATE_MEMPOOL`): blocks are allocated and freed in it, and
///   ``heapDestroyed(_:)`` drops those still live in one request, as ``PymallocHeap/destroy()`` does.
/// - An arena is wholly accessible again before it goes back to its source, which may be a host's own memory. A
///   purged pool's pages stay mapped in the arena, so the pool stays inaccessible.
@usableFromInline
internal enum _MemoryTracking {
  /// Whether this build poisons for AddressSanitizer (`SWIFTMALLOC_ASAN`).
  internal static var poisonsForAddressSanitizer: Bool {
    #if SWIFTMALLOC_ASAN
      return true
    #else
      return false
    #endif
  }

  /// A heap was created.
  @inlinable
  @inline(__always)
  internal static func heapCreated(_ heap: _HeapStatePointer) {
    #if SWIFTMALLOC_VALGRIND
      sm_track_heap_created(heap)
    #endif
  }

  /// A heap is being destroyed; its arenas are released next.
  @inlinable
  @inline(__always)
  internal static func heapDestroyed(_ heap: _HeapStatePointer) {
    #if SWIFTMALLOC_VALGRIND
      sm_track_heap_destroyed(heap)
    #endif
  }

  /// `arena` was attached: all of it is closed but its pools' headers.
  @inlinable
  @inline(__always)
  internal static func arenaAttached(_ arena: _Arena) {
    #if SWIFTMALLOC_ASAN || SWIFTMALLOC_VALGRIND
      sm_track_close(arena.pointee.address, _Layout.arenaSize)
      for index in 0..<arena.pointee.totalPoolCount {
        sm_track_open(arena._firstPool + index * _Layout.poolSize, _Layout.poolOverhead)
      }
    #endif
  }

  /// The arena at `base` goes back to its source: all of it is open again.
  @inlinable
  @inline(__always)
  internal static func arenaReleased(_ base: UnsafeMutableRawPointer) {
    #if SWIFTMALLOC_ASAN || SWIFTMALLOC_VALGRIND
      sm_track_open(base, _Layout.arenaSize)
    #endif
  }

  /// `block`, a pool block of `heap`, is handed out for `byteCount` bytes.
  @inlinable
  @inline(__always)
  internal static func allocated(_ block: UnsafeMutableRawPointer, byteCount: Int, in heap: _HeapStatePointer) {
    #if SWIFTMALLOC_ASAN || SWIFTMALLOC_VALGRIND
      let blockSize = _SizeClass.blockSize(ofIndex: _SizeClass.index(forByteCount: byteCount))
      sm_track_block_allocated(heap, block, byteCount, blockSize)
    #endif
  }

  /// `block`, a live block of `pool` in `heap`, is being freed.
  @inlinable
  @inline(__always)
  internal static func freed(_ block: UnsafeMutableRawPointer, from pool: _Pool, in heap: _HeapStatePointer) {
    #if SWIFTMALLOC_ASAN || SWIFTMALLOC_VALGRIND
      sm_track_block_freed(heap, block, pool._blockSize)
    #endif
  }

  /// `block`, a live block of `blockSize` bytes, now holds `byteCount` bytes: exactly those are open to ASan.
  @inlinable
  @inline(__always)
  internal static func resized(_ block: UnsafeMutableRawPointer, byteCount: Int, blockSize: Int) {
    #if SWIFTMALLOC_ASAN
      sm_track_block_resized(block, byteCount, blockSize)
    #endif
  }

  /// The free-list link in the first word of `block`, a free block.
  @inlinable
  @inline(__always)
  internal static func link(of block: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    #if SWIFTMALLOC_ASAN || SWIFTMALLOC_VALGRIND
      return sm_track_load_link(block)
    #else
      return block.load(as: UnsafeMutableRawPointer?.self)
    #endif
  }

  /// Stores `link` as the free-list link of `block`, a free block.
  @inlinable
  @inline(__always)
  internal static func setLink(_ link: UnsafeMutableRawPointer?, of block: UnsafeMutableRawPointer) {
    #if SWIFTMALLOC_ASAN || SWIFTMALLOC_VALGRIND
      sm_track_store_link(block, link)
    #else
      block.storeBytes(of: link, as: UnsafeMutableRawPointer?.self)
    #endif
  }
}
