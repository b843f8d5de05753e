// CSystemShim: glibc's own allocator, reached through dlsym on the already-loaded libc, the few libc
// facilities Swift's Glibc module does not import (malloc_usable_size, mallinfo2, backtrace), and the one place
// that opens a library with dlopen (RTLD_LOCAL, for the mimalloc backend and the tcmalloc reference).
//
// When jemalloc is linked into the same binary, the plain `malloc` symbol is jemalloc's; `__libc_malloc` is not
// reliable either (mimalloc and tcmalloc export it). Only `dlsym(dlopen("libc.so.6", RTLD_NOLOAD), "malloc")`
// always reaches glibc.
#ifndef CSYSTEMSHIM_H
#define CSYSTEMSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// glibc's entry points, resolved once; never NULL after `sm_glibc_resolve()` returned.
typedef struct sm_glibc_table {
  void *(*malloc)(size_t);
  void *(*calloc)(size_t, size_t);
  void *(*realloc)(void *, size_t);
  void (*free)(void *);
  int (*posix_memalign)(void **, size_t, size_t);
  size_t (*malloc_usable_size)(void *);
} sm_glibc_table;

/// The resolved table; all fields NULL until `sm_glibc_resolve()` ran (it runs as a load-time constructor).
extern sm_glibc_table sm_glibc;

/// Resolves `sm_glibc` from libc.so.6. Idempotent and thread-safe. Aborts with a message if libc cannot be found.
void sm_glibc_resolve(void);

static inline const sm_glibc_table *sm_glibc_entry_points(void) {
  if (__builtin_expect(sm_glibc.free == NULL, 0)) sm_glibc_resolve();
  return &sm_glibc;
}

/// glibc's `mallinfo2`, flattened to the fields the statistics use.
typedef struct sm_glibc_heap_info {
  size_t arena;     ///< non-mmapped bytes obtained from the OS
  size_t hblkhd;    ///< bytes in mmapped chunks
  size_t uordblks;  ///< bytes in allocated non-mmapped chunks
  size_t fordblks;  ///< bytes in free chunks
} sm_glibc_heap_info;

sm_glibc_heap_info sm_glibc_heap_info_now(void);

/// `backtrace(3)`: fills `frames` with up to `capacity` return addresses; returns the count.
int sm_backtrace(void **frames, int capacity);

/// Writes one symbolized line per frame to `fd` (`backtrace_symbols_fd(3)`), without allocating.
void sm_backtrace_symbols_fd(void *const *frames, int count, int fd);

/// Symbol name and offset of one address into `buffer` via `dladdr`; returns 0 when unknown.
int sm_symbolize(const void *address, char *buffer, size_t capacity);

/// Relaxed atomic add on a counter shared by threads (the debug layer's raw-family counters).
static inline void sm_atomic_add(long *counter, long delta) { __atomic_fetch_add(counter, delta, __ATOMIC_RELAXED); }

/// Relaxed atomic load.
static inline long sm_atomic_load(const long *counter) { return __atomic_load_n(counter, __ATOMIC_RELAXED); }

/// Whether all `length` bytes at `address` are mapped and readable, asked of the kernel without touching them: a
/// mapped `PROT_NONE` page (a guard page, a reservation) is not. Copies one byte per page through the kernel
/// (`process_vm_readv` on the own pid, else `write` into a pipe; `mincore`, blind to protection, only where both are
/// refused). Allocates nothing, keeps no state, preserves `errno`: safe from any thread and in a forked child.
int sm_is_readable(const void *address, size_t length);

/// The calling thread's `pthread_self()` as an integer.
unsigned long sm_current_thread(void);

/// A shared library opened with `RTLD_LOCAL`, and the first error met opening it or resolving its symbols.
///
/// `RTLD_LOCAL` keeps the library's symbols out of the process's global scope: a library that defines `malloc`
/// (Debian's mimalloc and tcmalloc do) is then reached only through `dlsym` and does not become the process's
/// allocator.
typedef struct sm_local_library {
  void *handle;
  char path[256];   ///< the path it was opened from
  char error[512];  ///< empty while everything resolved
} sm_local_library;

/// Opens the library named by the environment variable `path_variable` when it is set and not empty, else
/// `default_path`, with `RTLD_NOW | RTLD_LOCAL`. Returns 0 on success; otherwise `library->error` says why.
int sm_local_library_open(sm_local_library *library, const char *path_variable, const char *default_path);

/// The address of `name` in an opened library, or NULL; the first missing name is kept in `library->error`.
void *sm_local_library_symbol(sm_local_library *library, const char *name);

/* The debug hooks' fork guard (ForkGuard.c): their mutexed sections run between enter and leave; a process's fork
 * handlers call the other three inside their own locks, so that a fork never copies one of those mutexes held. */
void sm_fork_guard_enter(void);
void sm_fork_guard_leave(void);
void sm_fork_guard_before_fork(void);
void sm_fork_guard_after_fork_in_parent(void);
void sm_fork_guard_after_fork_in_child(void);

#ifdef __cplusplus
}
#endif

#endif
