// CMimallocShim: mimalloc 2.x reached at run time. Debian's libmimalloc exports `malloc` too, so linking it would
// make mimalloc the process-wide allocator; instead `sm_mi_load` opens libmimalloc.so.2 once with RTLD_LOCAL and
// resolves the `mi_*` functions the backend calls into `sm_mimalloc`. The `static inline` wrappers below are one
// indirect call each. mimalloc.h supplies the types only: nothing here links against libmimalloc.
#ifndef CMIMALLOCSHIM_H
#define CMIMALLOCSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if __has_include(<mimalloc.h>)
#include <mimalloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The mimalloc functions the backend calls, resolved by `sm_mi_load`.
typedef struct sm_mi_table {
  __typeof__(mi_malloc) *malloc;
  __typeof__(mi_zalloc) *zalloc;
  __typeof__(mi_realloc) *realloc;
  __typeof__(mi_malloc_aligned) *malloc_aligned;
  __typeof__(mi_free) *free;
  __typeof__(mi_usable_size) *usable_size;
  __typeof__(mi_heap_new) *heap_new;
  __typeof__(mi_heap_destroy) *heap_destroy;
  __typeof__(mi_heap_malloc) *heap_malloc;
  __typeof__(mi_heap_zalloc) *heap_zalloc;
  __typeof__(mi_heap_realloc) *heap_realloc;
  __typeof__(mi_heap_malloc_aligned) *heap_malloc_aligned;
  __typeof__(mi_heap_collect) *heap_collect;
  __typeof__(mi_heap_visit_blocks) *heap_visit_blocks;
  __typeof__(mi_process_info) *process_info;
  __typeof__(mi_stats_print_out) *stats_print_out;
  __typeof__(mi_version) *version;
} sm_mi_table;

/// The resolved functions; all NULL until `sm_mi_load()` succeeded.
extern sm_mi_table sm_mimalloc;

/// Loads mimalloc once (thread-safe): `$SWIFTMALLOC_MIMALLOC_LIBRARY` if set, else libmimalloc.so.2. Returns NULL
/// when `sm_mimalloc` is ready, else why it is not (the same message on every call).
const char *sm_mi_load(void);

static inline void *sm_mi_malloc(size_t size) { return sm_mimalloc.malloc(size); }
static inline void *sm_mi_zalloc(size_t size) { return sm_mimalloc.zalloc(size); }
static inline void *sm_mi_realloc(void *pointer, size_t size) { return sm_mimalloc.realloc(pointer, size); }
static inline void *sm_mi_malloc_aligned(size_t size, size_t alignment) {
  return sm_mimalloc.malloc_aligned(size, alignment);
}
static inline void sm_mi_free(void *pointer) { sm_mimalloc.free(pointer); }
static inline size_t sm_mi_usable_size(const void *pointer) { return sm_mimalloc.usable_size(pointer); }
static inline mi_heap_t *sm_mi_heap_new(void) { return sm_mimalloc.heap_new(); }
static inline void sm_mi_heap_destroy(mi_heap_t *heap) { sm_mimalloc.heap_destroy(heap); }
static inline void *sm_mi_heap_malloc(mi_heap_t *heap, size_t size) { return sm_mimalloc.heap_malloc(heap, size); }
static inline void *sm_mi_heap_zalloc(mi_heap_t *heap, size_t size) { return sm_mimalloc.heap_zalloc(heap, size); }
static inline void *sm_mi_heap_realloc(mi_heap_t *heap, void *pointer, size_t size) {
  return sm_mimalloc.heap_realloc(heap, pointer, size);
}
static inline void *sm_mi_heap_malloc_aligned(mi_heap_t *heap, size_t size, size_t alignment) {
  return sm_mimalloc.heap_malloc_aligned(heap, size, alignment);
}

/// The thread that made a heap: its thread pointer, and the generation of its thread slot when the heap was made.
/// The slot's generation changes when that thread exits (mimalloc then deletes the thread's heaps), so a later
/// thread that reuses the thread pointer is not taken for it.
typedef struct sm_mi_owner {
  uintptr_t thread;
  const uint64_t *slot_generation;
  uint64_t generation;
} sm_mi_owner;

/// The calling thread as an owner (its slot is made on first use).
sm_mi_owner sm_mi_current_owner(void);

/// Whether the calling thread is `owner`, still alive: a register compare, then one load for the owner itself.
static inline bool sm_mi_is_owner(sm_mi_owner owner) {
  return (uintptr_t)__builtin_thread_pointer() == owner.thread
    && __atomic_load_n(owner.slot_generation, __ATOMIC_ACQUIRE) == owner.generation;
}

/// The live blocks of a heap and their bytes, after collecting the blocks other threads freed into it.
/// Call on the heap's own thread.
typedef struct sm_mi_heap_census {
  size_t blocks;
  size_t block_bytes;
  size_t committed_bytes;
  size_t reserved_bytes;
} sm_mi_heap_census;

sm_mi_heap_census sm_mi_heap_census_now(mi_heap_t *heap);

/// mimalloc's process-wide committed bytes (`mi_process_info`; its RSS figures on Linux are the commit again, or
/// the whole process's).
typedef struct sm_mi_process_figures {
  size_t current_commit;
  size_t peak_commit;
} sm_mi_process_figures;

sm_mi_process_figures sm_mi_process_figures_now(void);

/// mimalloc's own statistics report (`mi_stats_print_out`) as a string the caller frees with glibc's `free`.
char *sm_mi_stats_text(void);

#ifdef __cplusplus
}
#endif

#endif
#endif
