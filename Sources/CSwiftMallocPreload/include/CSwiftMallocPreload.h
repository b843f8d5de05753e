// CSwiftMallocPreload: the C side of libswiftmalloc-preload.so, the process allocator.
//
// The reserved names (malloc, free, …, and the C++ operators) are defined here and forward to the Swift entry
// points below (`sm_preload_*`, implemented with @_cdecl in SwiftMallocPreload): Swift warns that defining
// `malloc` itself "will become an error". Everything the allocation path needs before any initializer has run
// lives here as plain C statics: the backend chosen (one word, set once), the heap, the lock of the single-owner
// backend.
#ifndef CSWIFTMALLOCPRELOAD_H
#define CSWIFTMALLOCPRELOAD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: glibc's own allocator (exported by libc.so.6 under these names; never our definitions)

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *pointer, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
void __libc_free(void *pointer);

// MARK: The backend in force

/// The state word: 0 while the library loads (every call is glibc's: the Swift runtime cannot yet find this
/// library's types, so the heap cannot run), then the number of the backend chosen by the library's constructor
/// (Swift's `_ProcessBackend`), changed again only by the exit report.
extern int sm_preload_backend_word;

/// The backend in force (an acquire load: the heap it names is published before it).
static inline int sm_preload_backend(void) { return __atomic_load_n(&sm_preload_backend_word, __ATOMIC_ACQUIRE); }

/// Publishes the backend chosen (after its heap).
static inline void sm_preload_publish_backend(int backend) {
  __atomic_store_n(&sm_preload_backend_word, backend, __ATOMIC_RELEASE);
}

/// Chooses the backend from the environment and makes its heap (Swift; the library's constructor calls it once,
/// after the Swift runtime registered the library's types).
void sm_preload_choose_backend(void);

/// The heap state of the backend in force (a pymalloc or concurrent pymalloc state; NULL for glibc), set once by
/// the choice before the backend is published.
extern void *sm_preload_heap;
static inline void *sm_preload_heap_state(void) { return sm_preload_heap; }
static inline void sm_preload_set_heap_state(void *state) { sm_preload_heap = state; }

/// The debug hooks of a `_debug` backend (Swift's `_ProcessDebugHooks` over the heap above; NULL otherwise), set
/// once by the choice before the backend is published.
extern void *sm_preload_debug;
static inline void *sm_preload_debug_hooks(void) { return sm_preload_debug; }
static inline void sm_preload_set_debug_hooks(void *hooks) { sm_preload_debug = hooks; }

/// The lock of the single-owner pymalloc backend; held across fork by an atfork handler.
void sm_preload_lock(void);
void sm_preload_unlock(void);

// MARK: Reentrancy

/// The calling thread's depth in the process allocator, and the pymalloc blocks freed while it was inside.
///
/// A call made while the thread is already inside one (the Swift runtime instantiating type metadata, a
/// thread-exit or fork handler, anything the heap's own slow path calls) never enters the heap, which is in the
/// middle of an operation: allocations are glibc's, frees of glibc blocks go to glibc, and a pymalloc block freed
/// there waits on `deferred` (linked through its first word) until the outer call leaves.
struct sm_preload_thread {
  int depth;
  void *deferred;
};
extern __thread struct sm_preload_thread sm_preload_thread __attribute__((tls_model("initial-exec")));

/// Enters the allocator: 1 when the thread was outside (the call may use the heap), 0 for a nested call.
static inline int sm_preload_enter(void) {
  if (__builtin_expect(sm_preload_thread.depth != 0, 0)) return 0;
  sm_preload_thread.depth = 1;
  return 1;
}

/// Frees the blocks deferred by nested calls (inside the allocator again), then leaves.
void sm_preload_free_deferred(void);

/// Leaves the allocator after a call that `sm_preload_enter` let in.
static inline void sm_preload_leave(void) {
  if (__builtin_expect(sm_preload_thread.deferred != NULL, 0)) sm_preload_free_deferred();
  sm_preload_thread.depth = 0;
}

/// Registers `report` to run at exit (SWIFTMALLOCSTATS); allocation-free.
void sm_preload_report_at_exit(void (*report)(void));

// MARK: The Swift entry points (SwiftMallocPreload)

void *sm_preload_malloc(size_t size);
void *sm_preload_calloc(size_t count, size_t size);
void *sm_preload_realloc(void *pointer, size_t size);
void sm_preload_free(void *pointer);
void *sm_preload_memalign(size_t alignment, size_t size);
size_t sm_preload_usable_size(void *pointer);

/// Whether `pointer` is a block of the backend in force rather than glibc's (a pymalloc block, or under a `_debug`
/// backend any block the hooks framed), and how many of its bytes the caller may use (read-only: a nested call
/// may ask).
int sm_preload_is_heap_block(void *pointer);
size_t sm_preload_heap_block_size(void *pointer);

/// A block of one family (`SM_FAMILY_*`), aligned to `alignment` (≤ 16 for the default alignment); NULL with errno
/// ENOMEM on failure.
void *sm_preload_family_allocate(size_t size, size_t alignment, int family);
/// Frees a block of one family; under a `_debug` backend a block of another family is a fault.
void sm_preload_family_free(void *pointer, int family);

/// The C++ operators' entry points (entering the allocator as every call does).
void *sm_preload_new(size_t size, size_t alignment, int family);
void sm_preload_delete(void *pointer, int family);

/// The families' debug API ids (CPython's debug layout stores one byte).
enum {
  SM_FAMILY_MALLOC = 'm',  ///< malloc, calloc, realloc, the memalign family / free
  SM_FAMILY_NEW = 'n',     ///< operator new / delete
  SM_FAMILY_NEW_ARRAY = 'a',  ///< operator new[] / delete[]
};

#ifdef __cplusplus
}
#endif

#endif
