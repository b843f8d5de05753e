/*
 * swiftmalloc.h — the C ABI of swift-malloc (libSwiftMalloc.so).
 *
 * Three families of functions, as CPython's memory API: raw (thread-safe, PyMem_Raw*), mem (PyMem_*) and object
 * (PyObject_*). Memory from one family must only be freed by the same family; the debug backends
 * (SWIFTMALLOC=pymalloc_debug, …) report a mix-up with CPython's "bad ID" dump and abort.
 *
 * The family functions use one process-wide heap and may be called from any thread. Its backend comes from
 * sm_select(), else the SWIFTMALLOC environment variable, else the build default (pymalloc), at the first call. A
 * process lock guards the mem and object families of a backend that is not free-threaded; the raw family and every
 * family of pymalloc_mt (and pymalloc_mt_debug, each thread with a heap of its own) take no lock. A forked child
 * can keep allocating (the lock is reset in the child).
 *
 * Sizes that cannot be satisfied (above SIZE_MAX / 4, or nelem * elsize overflowing) return NULL; 0 bytes returns a
 * distinct non-NULL pointer, as does a calloc with nelem or elsize 0 whatever the other (calloc(0, SIZE_MAX) too);
 * every pointer is 16-byte aligned; free(NULL) does nothing; realloc(NULL, n) allocates; on realloc failure NULL is
 * returned and the old block stays valid.
 *
 * Build:  swift build -c release --product SwiftMalloc
 * Link:   cc -I Sources/CSwiftMalloc/include host.c -L .build/release -lSwiftMalloc -Wl,-rpath,$PWD/.build/release
 *
 * libSwiftMalloc.so links no jemalloc, so dlopen can load it. Its jemalloc backend uses the jemalloc the host has
 * (linked with -Wl,--no-as-needed -ljemalloc, which makes it the host's malloc, or LD_PRELOAD), else opens
 * libjemalloc.so.2 locally, which needs GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096 in most processes;
 * otherwise SWIFTMALLOC=jemalloc is refused with the reason.
 */
#ifndef SWIFTMALLOC_H
#define SWIFTMALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Raw family (PyMem_RawMalloc …): thread-safe. */
void *sm_raw_malloc(size_t size);
void *sm_raw_calloc(size_t nelem, size_t elsize);
void *sm_raw_realloc(void *ptr, size_t size);
void sm_raw_free(void *ptr);

/* Mem family (PyMem_Malloc …). */
void *sm_mem_malloc(size_t size);
void *sm_mem_calloc(size_t nelem, size_t elsize);
void *sm_mem_realloc(void *ptr, size_t size);
void sm_mem_free(void *ptr);

/* Object family (PyObject_Malloc …). */
void *sm_object_malloc(size_t size);
void *sm_object_calloc(size_t nelem, size_t elsize);
void *sm_object_realloc(void *ptr, size_t size);
void sm_object_free(void *ptr);

/*
 * Chooses the process-wide backend by a SWIFTMALLOC name ("pymalloc", "malloc_debug", …). Only before the first
 * allocation, as PYTHONMALLOC: afterwards, or for an unknown or unbuilt name, it returns -1 and sm_last_error()
 * says why (naming the value). Returns 0 on success.
 */
int sm_select(const char *name);

/* The calling thread's last error message, or "" when none. Valid until the thread's next failing call. */
const char *sm_last_error(void);

/* The canonical name of the process-wide backend ("pymalloc", …); creates the heap if it does not exist yet. */
const char *sm_backend_name(void);

/* Writes the backend's statistics report to fd (pymalloc: CPython's sys._debugmallocstats() text). */
void sm_print_stats(int fd);

/* Live blocks of the object family (sys.getallocatedblocks(); 0 where the backend does not count, as glibc). */
size_t sm_allocated_blocks(void);

/*
 * The object family's statistics as JSON into buf (snprintf semantics: at most len bytes including the NUL).
 * Returns the length of the whole JSON text; a value >= len means it was truncated. -1 on error.
 */
int sm_stats_json(char *buf, size_t len);

/*
 * Independent heaps, not locked: for hosts that own their threading as CPython's GIL does. A heap must be used by
 * one thread at a time: the thread that holds it, which is its creator until another calls sm_heap_claim(). Under a
 * debug backend a call from a thread that does not hold it is reported. Each call costs one indirect call into the
 * Swift heap: no lock, no lookup. The functions serve the object family.
 */
typedef struct sm_heap sm_heap;

/* A new heap for a SWIFTMALLOC name (NULL: SWIFTMALLOC, else the default), held by the calling thread; NULL +
 * sm_last_error() if refused. */
sm_heap *sm_heap_new(const char *backend);
/*
 * The calling thread now holds the heap, as PyGILState_Ensure() makes it hold the GIL. Call it before a thread's
 * first use of a heap another thread used last, once that thread is done with it (the host orders the two, as it
 * does every use of the heap). It takes no lock and does nothing under a backend without debug hooks.
 */
void sm_heap_claim(sm_heap *heap);
void *sm_heap_malloc(sm_heap *heap, size_t size);
void *sm_heap_calloc(sm_heap *heap, size_t nelem, size_t elsize);
void *sm_heap_realloc(sm_heap *heap, void *ptr, size_t size);
void sm_heap_free(sm_heap *heap, void *ptr);
void sm_heap_print_stats(sm_heap *heap, int fd);
/* Destroys the heap and returns every arena to the OS; its blocks are invalid afterwards. */
void sm_heap_destroy(sm_heap *heap);

#ifdef __cplusplus
}
#endif

#endif
