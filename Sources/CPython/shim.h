// The few libpython 3.11 entry points the benchmark-only `cpython` reference backend calls (trait
// CPythonReference). Declared here rather than through <Python.h>, whose <sys/select.h> clashes with Swift's Glibc
// module; the library and its search path come from `pkg-config python3-embed`.
#ifndef SWIFTMALLOC_CPYTHON_SHIM_H
#define SWIFTMALLOC_CPYTHON_SHIM_H

#include <stddef.h>
#include <sys/types.h>

void Py_InitializeEx(int initsigs);
void *PyObject_Malloc(size_t size);
void *PyObject_Calloc(size_t nelem, size_t elsize);
void *PyObject_Realloc(void *ptr, size_t new_size);
void PyObject_Free(void *ptr);
ssize_t _Py_GetAllocatedBlocks(void);

#endif
