// The few libpython 3.11 entry points the benchmark-only `cpython` reference backend calls (trait
// CPythonReference). Declared here rather than through <Python.h>, whose <sys/select.h> clashes with Swift's Glibc
// module; the library and its search path come from `pkg-config python3-embed`.
#ifndef SWIFTMALLOC_CPYTHON_SHIM_H
#define SWIFTMALLOC_CPYTHON_SHIM_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

void Py_InitializeEx(int initsigs);
void *PyObject_Malloc(size_t size);
void *PyObject_Calloc(size_t nelem, size_t elsize);
void *PyObject_Realloc(void *ptr, size_t new_size);
void PyObject_Free(void *ptr);
ssize_t _Py_GetAllocatedBlocks(void);
// sys._debugmallocstats(): the allocator's report, written to `out`.
int _PyObject_DebugMallocStats(FILE *out);

// The documented allocator-customisation API (PyMem_SetAllocator), used to give the raw domain glibc's malloc.
typedef struct {
  void *ctx;
  void *(*malloc)(void *ctx, size_t size);
  void *(*calloc)(void *ctx, size_t nelem, size_t elsize);
  void *(*realloc)(void *ctx, void *ptr, size_t new_size);
  void (*free)(void *ctx, void *ptr);
} PyMemAllocatorEx;

typedef enum { PYMEM_DOMAIN_RAW, PYMEM_DOMAIN_MEM, PYMEM_DOMAIN_OBJ } PyMemAllocatorDomain;

void PyMem_SetAllocator(PyMemAllocatorDomain domain, PyMemAllocatorEx *allocator);
void PyMem_GetAllocator(PyMemAllocatorDomain domain, PyMemAllocatorEx *allocator);

#endif
