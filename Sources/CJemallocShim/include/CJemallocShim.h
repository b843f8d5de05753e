// CJemallocShim: jemalloc 5.3's non-standard API for Swift, reached at run time. The MALLOCX_* flags are
// function-like macros, which Swift cannot import, so each has a `static inline` wrapper here. Nothing here links
// libjemalloc: `sm_je_load` finds jemalloc's functions in the process (an executable that links it, as this
// package's do through `CJemallocLinked`, or an LD_PRELOAD), else opens libjemalloc.so.2 with RTLD_LOCAL. Linking
// libjemalloc into a shared library would make that library fail to `dlopen` ("cannot allocate memory in static TLS
// block": Debian's jemalloc uses initial-exec TLS), and a dlopen of libjemalloc.so.2 itself fails the same way
// unless glibc's static TLS surplus is raised (GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096).
#ifndef CJEMALLOCSHIM_H
#define CJEMALLOCSHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if __has_include(<jemalloc/jemalloc.h>)
#include <jemalloc/jemalloc.h>

/// The jemalloc functions the backend calls, resolved by `sm_je_load`.
typedef struct sm_je_table {
  __typeof__(mallocx) *mallocx;
  __typeof__(rallocx) *rallocx;
  __typeof__(dallocx) *dallocx;
  __typeof__(sdallocx) *sdallocx;
  __typeof__(sallocx) *sallocx;
  __typeof__(mallctl) *mallctl;
} sm_je_table;

/// The resolved functions; all NULL until `sm_je_load()` succeeded.
extern sm_je_table sm_jemalloc;

/// Resolves jemalloc once (thread-safe); NULL on success, else why jemalloc cannot run in this process.
const char *sm_je_load(void);

/// `mallocx`.
static inline void *sm_je_mallocx(size_t size, int flags) { return sm_jemalloc.mallocx(size, flags); }
/// `rallocx`.
static inline void *sm_je_rallocx(void *pointer, size_t size, int flags) {
  return sm_jemalloc.rallocx(pointer, size, flags);
}
/// `dallocx`.
static inline void sm_je_dallocx(void *pointer, int flags) { sm_jemalloc.dallocx(pointer, flags); }
/// `sdallocx`.
static inline void sm_je_sdallocx(void *pointer, size_t size, int flags) { sm_jemalloc.sdallocx(pointer, size, flags); }
/// `sallocx`.
static inline size_t sm_je_sallocx(const void *pointer, int flags) { return sm_jemalloc.sallocx(pointer, flags); }

/// `MALLOCX_ALIGN(alignment)`: `alignment` must be a power of two.
static inline int sm_je_flag_align(size_t alignment) { return MALLOCX_ALIGN(alignment); }
/// `MALLOCX_ZERO`.
static inline int sm_je_flag_zero(void) { return MALLOCX_ZERO; }
/// `MALLOCX_ARENA(arena)`.
static inline int sm_je_flag_arena(unsigned arena) { return MALLOCX_ARENA(arena); }
/// `MALLOCX_TCACHE(tcache)`.
static inline int sm_je_flag_tcache(unsigned tcache) { return MALLOCX_TCACHE(tcache); }
/// `MALLOCX_TCACHE_NONE`.
static inline int sm_je_flag_tcache_none(void) { return MALLOCX_TCACHE_NONE; }

/// Reads an `unsigned` control (`arenas.create`, `tcache.create`); returns 0 on success.
static inline int sm_je_read_unsigned(const char *name, unsigned *value) {
  size_t length = sizeof *value;
  return sm_jemalloc.mallctl(name, value, &length, NULL, 0);
}

/// Returns the blocks cached in an explicit thread cache to its arena, so the arena's statistics are exact.
static inline int sm_je_flush_tcache(unsigned tcache) {
  return sm_jemalloc.mallctl("tcache.flush", NULL, NULL, &tcache, sizeof tcache);
}

/// Destroys an explicit thread cache (`tcache.destroy`).
static inline int sm_je_destroy_tcache(unsigned tcache) {
  return sm_jemalloc.mallctl("tcache.destroy", NULL, NULL, &tcache, sizeof tcache);
}

/// Destroys an arena and every block still in it (`arena.<i>.destroy`).
static inline int sm_je_destroy_arena(unsigned arena) {
  char name[64];
  snprintf(name, sizeof name, "arena.%u.destroy", arena);
  return sm_jemalloc.mallctl(name, NULL, NULL, NULL, 0);
}

/// Reads a `size_t` statistic after refreshing the epoch; returns 0 on success.
static inline int sm_je_read_size(const char *name, size_t *value) {
  uint64_t epoch = 1;
  size_t epoch_length = sizeof epoch;
  sm_jemalloc.mallctl("epoch", &epoch, &epoch_length, &epoch, epoch_length);
  size_t length = sizeof *value;
  return sm_jemalloc.mallctl(name, value, &length, NULL, 0);
}
#endif

#endif
