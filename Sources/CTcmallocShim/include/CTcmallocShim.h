// CTcmallocShim: gperftools' tcmalloc (libtcmalloc_minimal.so.4) reached at run time for the benchmark-only
// `tcmalloc` reference. The library exports `malloc` too, so linking it would make tcmalloc the process-wide
// allocator; `sm_tc_load` opens it once with RTLD_LOCAL and resolves its `tc_*` entry points instead. Debian ships
// no header with the library, so the prototypes are declared here (gperftools 2.x's tcmalloc.h and
// malloc_extension_c.h).
#ifndef CTCMALLOCSHIM_H
#define CTCMALLOCSHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The tcmalloc functions the reference calls, resolved by `sm_tc_load`.
typedef struct sm_tc_table {
  void *(*malloc)(size_t size);
  void *(*calloc)(size_t count, size_t size);
  void *(*realloc)(void *pointer, size_t size);
  void *(*memalign)(size_t alignment, size_t size);
  void (*free)(void *pointer);
  size_t (*malloc_size)(void *pointer);
  int (*numeric_property)(const char *name, size_t *value);
  void (*stats)(char *buffer, int capacity);
} sm_tc_table;

/// The resolved functions; all NULL until `sm_tc_load()` succeeded.
extern sm_tc_table sm_tcmalloc;

/// Loads tcmalloc once (thread-safe): `$SWIFTMALLOC_TCMALLOC_LIBRARY` if set, else libtcmalloc_minimal.so.4.
/// Returns NULL when `sm_tcmalloc` is ready, else why it is not (the same message on every call).
const char *sm_tc_load(void);

static inline void *sm_tc_malloc(size_t size) { return sm_tcmalloc.malloc(size); }
static inline void *sm_tc_calloc(size_t count, size_t size) { return sm_tcmalloc.calloc(count, size); }
static inline void *sm_tc_realloc(void *pointer, size_t size) { return sm_tcmalloc.realloc(pointer, size); }
static inline void *sm_tc_memalign(size_t alignment, size_t size) { return sm_tcmalloc.memalign(alignment, size); }
static inline void sm_tc_free(void *pointer) { sm_tcmalloc.free(pointer); }
static inline size_t sm_tc_malloc_size(void *pointer) { return sm_tcmalloc.malloc_size(pointer); }

/// A numeric property of `MallocExtension` (`generic.current_allocated_bytes`, …), or 0 when tcmalloc has none.
size_t sm_tc_property(const char *name);

/// tcmalloc's own statistics text (`MallocExtension_GetStats`) into `buffer`.
static inline void sm_tc_stats(char *buffer, int capacity) { sm_tcmalloc.stats(buffer, capacity); }

#ifdef __cplusplus
}
#endif

#endif
