// What pymalloc tells AddressSanitizer and valgrind's memcheck about its arenas (see _MemoryTracking.swift).
//
// Compiled in by -DSWIFTMALLOC_ASAN (in a build with --sanitize=address) and -DSWIFTMALLOC_VALGRIND (valgrind's
// headers, Debian's valgrind package), each passed with -Xswiftc and -Xcc; without either, nothing is declared.
// A define, not __has_feature(address_sanitizer): `swift build --sanitize=address` does not give the clang importer
// -fsanitize=address, so a static inline function of this header called from Swift sees no sanitizer. For the same
// reason ASan leaves these functions uninstrumented; no_sanitize says so explicitly for the free-list links.
#ifndef SM_MEMORY_TRACKING_H
#define SM_MEMORY_TRACKING_H

#if defined(SWIFTMALLOC_ASAN) || defined(SWIFTMALLOC_VALGRIND)

#include <stddef.h>

#ifdef SWIFTMALLOC_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define SM_ASAN(...) __VA_ARGS__
#define SM_NOT_ASAN_INSTRUMENTED __attribute__((no_sanitize("address")))
#else
#define SM_ASAN(...)
#define SM_NOT_ASAN_INSTRUMENTED
#endif

#ifdef SWIFTMALLOC_VALGRIND
#include <valgrind/memcheck.h>
#define SM_VALGRIND(...) __VA_ARGS__
#else
#define SM_VALGRIND(...)
#endif

/// Makes `byte_count` bytes at `start` inaccessible: poisoned, and no-access to memcheck.
static inline void sm_track_close(void *start, size_t byte_count) {
  SM_ASAN(__asan_poison_memory_region(start, byte_count));
  SM_VALGRIND(VALGRIND_MAKE_MEM_NOACCESS(start, byte_count));
}

/// Makes `byte_count` bytes at `start` accessible and defined, as fresh mapped memory is.
static inline void sm_track_open(void *start, size_t byte_count) {
  SM_ASAN(__asan_unpoison_memory_region(start, byte_count));
  SM_VALGRIND(VALGRIND_MAKE_MEM_DEFINED(start, byte_count));
}

/// A heap begins: to memcheck, a memory pool named by `heap` that its blocks are allocated in.
static inline void sm_track_heap_created(const void *heap) { SM_VALGRIND(VALGRIND_CREATE_MEMPOOL(heap, 0, 0)); }

/// A heap ends: memcheck forgets the blocks still allocated in its pool.
static inline void sm_track_heap_destroyed(const void *heap) { SM_VALGRIND(VALGRIND_DESTROY_MEMPOOL(heap)); }

/// `block` is handed out for `requested` bytes: ASan opens exactly those, memcheck the whole block.
static inline void sm_track_block_allocated(const void *heap, void *block, size_t requested, size_t block_size) {
  SM_ASAN(__asan_unpoison_memory_region(block, requested));
  SM_VALGRIND(VALGRIND_MEMPOOL_ALLOC(heap, block, block_size));
}

/// `block` is freed: inaccessible until it is handed out again.
static inline void sm_track_block_freed(const void *heap, void *block, size_t block_size) {
  SM_ASAN(__asan_poison_memory_region(block, block_size));
  SM_VALGRIND(VALGRIND_MEMPOOL_FREE(heap, block));
}

/// Reads a free block's first word, its free-list link.
static inline SM_NOT_ASAN_INSTRUMENTED void *sm_track_load_link(const void *block) {
  SM_VALGRIND(VALGRIND_MAKE_MEM_DEFINED(block, sizeof(void *)));
  void *link = *(void *const *)block;
  SM_VALGRIND(VALGRIND_MAKE_MEM_NOACCESS(block, sizeof(void *)));
  return link;
}

/// Writes a free block's first word, its free-list link.
static inline SM_NOT_ASAN_INSTRUMENTED void sm_track_store_link(void *block, void *link) {
  SM_VALGRIND(VALGRIND_MAKE_MEM_UNDEFINED(block, sizeof(void *)));
  *(void **)block = link;
  SM_VALGRIND(VALGRIND_MAKE_MEM_NOACCESS(block, sizeof(void *)));
}

#ifdef SWIFTMALLOC_ASAN
/// A live block of `block_size` bytes now holds `requested`: ASan opens exactly those.
static inline void sm_track_block_resized(void *block, size_t requested, size_t block_size) {
  __asan_poison_memory_region(block, block_size);
  __asan_unpoison_memory_region(block, requested);
}
#endif

#endif
#endif
