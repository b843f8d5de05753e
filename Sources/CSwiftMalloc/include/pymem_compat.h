/*
 * pymem_compat.h — CPython's memory API on top of swift-malloc, as Python 2.3's Misc/pymemcompat.h let extensions
 * use one API across versions. C code written against PyMem_* / PyObject_* compiles unchanged against it.
 *
 * Semantics are CPython's: 0 bytes returns a distinct non-NULL pointer, PyMem_New and PyMem_Resize check
 * n * sizeof(type) against PY_SSIZE_T_MAX, PyMem_Resize sets p to NULL on failure (as CPython does). Under a debug
 * backend (SWIFTMALLOC=pymalloc_debug) PyObject_Free of a PyMem_Malloc block prints CPython's "bad ID" dump.
 * Do not include it together with <Python.h>: it defines the same names.
 */
#ifndef SWIFTMALLOC_PYMEM_COMPAT_H
#define SWIFTMALLOC_PYMEM_COMPAT_H

#include <stddef.h>
#include <sys/types.h>

#include "swiftmalloc.h"

#ifndef PY_SSIZE_T_MAX
#define PY_SSIZE_T_MAX ((ssize_t)(((size_t)-1) >> 1))
#endif

static inline void *PyMem_RawMalloc(size_t size) { return sm_raw_malloc(size); }
static inline void *PyMem_RawCalloc(size_t nelem, size_t elsize) { return sm_raw_calloc(nelem, elsize); }
static inline void *PyMem_RawRealloc(void *ptr, size_t size) { return sm_raw_realloc(ptr, size); }
static inline void PyMem_RawFree(void *ptr) { sm_raw_free(ptr); }

static inline void *PyMem_Malloc(size_t size) { return sm_mem_malloc(size); }
static inline void *PyMem_Calloc(size_t nelem, size_t elsize) { return sm_mem_calloc(nelem, elsize); }
static inline void *PyMem_Realloc(void *ptr, size_t size) { return sm_mem_realloc(ptr, size); }
static inline void PyMem_Free(void *ptr) { sm_mem_free(ptr); }

static inline void *PyObject_Malloc(size_t size) { return sm_object_malloc(size); }
static inline void *PyObject_Calloc(size_t nelem, size_t elsize) { return sm_object_calloc(nelem, elsize); }
static inline void *PyObject_Realloc(void *ptr, size_t size) { return sm_object_realloc(ptr, size); }
static inline void PyObject_Free(void *ptr) { sm_object_free(ptr); }

/* CPython's macros: n elements of type, with the overflow check; NULL when n * sizeof(type) would overflow. */
#define PyMem_New(type, n) \
  (((size_t)(n) > (size_t)PY_SSIZE_T_MAX / sizeof(type)) ? NULL : ((type *)PyMem_Malloc((n) * sizeof(type))))
#define PyMem_Resize(p, type, n) \
  ((p) = ((size_t)(n) > (size_t)PY_SSIZE_T_MAX / sizeof(type)) ? NULL \
                                                               : (type *)PyMem_Realloc((p), (n) * sizeof(type)))
#define PyMem_Del PyMem_Free

#endif
