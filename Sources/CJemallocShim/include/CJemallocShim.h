// CJemallocShim: jemalloc 5.3's non-standard API for Swift. The MALLOCX_* flags are function-like macros, which
// Swift cannot import, so each has a `static inline` wrapper here. Debian builds jemalloc unprefixed: linking it
// makes jemalloc the process-wide `malloc`.
#ifndef CJEMALLOCSHIM_H
#define CJEMALLOCSHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if __has_include(<jemalloc/jemalloc.h>)
#include <jemalloc/jemalloc.h>

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
  return mallctl(name, value, &length, NULL, 0);
}

/// Returns the blocks cached in an explicit thread cache to its arena, so the arena's statistics are exact.
static inline int sm_je_flush_tcache(unsigned tcache) {
  return mallctl("tcache.flush", NULL, NULL, &tcache, sizeof tcache);
}

/// Destroys an explicit thread cache (`tcache.destroy`).
static inline int sm_je_destroy_tcache(unsigned tcache) {
  return mallctl("tcache.destroy", NULL, NULL, &tcache, sizeof tcache);
}

/// Destroys an arena and every block still in it (`arena.<i>.destroy`).
static inline int sm_je_destroy_arena(unsigned arena) {
  char name[64];
  snprintf(name, sizeof name, "arena.%u.destroy", arena);
  return mallctl(name, NULL, NULL, NULL, 0);
}

/// Reads a `size_t` statistic after refreshing the epoch; returns 0 on success.
static inline int sm_je_read_size(const char *name, size_t *value) {
  uint64_t epoch = 1;
  size_t epoch_length = sizeof epoch;
  mallctl("epoch", &epoch, &epoch_length, &epoch, epoch_length);
  size_t length = sizeof *value;
  return mallctl(name, value, &length, NULL, 0);
}
#endif

#endif
