"""Loads libSwiftMalloc.so into /usr/bin/python3 with ctypes (dlopen) and allocates, writes, resizes and frees on
every family (raw, mem, object) of the process heap and on an sm_heap of the same backend.

    python3 pyhost.py LIBRARY BACKEND

Exits 0 after printing "pyhost: ok", 3 with sm_last_error() when sm_select refuses BACKEND, 1 on any other fault.
"""
import ctypes
import sys

library_path, backend = sys.argv[1], sys.argv[2].encode()
lib = ctypes.CDLL(library_path)
pointer, size = ctypes.c_void_p, ctypes.c_size_t
lib.sm_last_error.restype = ctypes.c_char_p
lib.sm_backend_name.restype = ctypes.c_char_p
lib.sm_heap_new.restype = pointer
lib.sm_heap_new.argtypes = [ctypes.c_char_p]
for name in ("sm_heap_malloc", "sm_heap_calloc", "sm_heap_realloc", "sm_heap_free", "sm_heap_destroy"):
    getattr(lib, name).restype = pointer if not name.endswith(("free", "destroy")) else None
lib.sm_heap_malloc.argtypes = [pointer, size]
lib.sm_heap_calloc.argtypes = [pointer, size, size]
lib.sm_heap_realloc.argtypes = [pointer, pointer, size]
lib.sm_heap_free.argtypes = [pointer, pointer]
lib.sm_heap_destroy.argtypes = [pointer]


def family(prefix):
    functions = [getattr(lib, f"{prefix}_{verb}") for verb in ("malloc", "calloc", "realloc", "free")]
    for function, argtypes in zip(functions, ([size], [size, size], [pointer, size], [pointer])):
        function.argtypes = argtypes
        function.restype = pointer if function is not functions[3] else None
    return functions


def exercise(name, malloc, calloc, realloc, free):
    """Allocates, fills, checks, grows and frees blocks of small and large sizes; raises on any mismatch."""
    for request in (1, 16, 100, 512, 513, 5000, 100000):
        block = malloc(request)
        assert block, f"{name}: malloc({request}) = NULL"
        ctypes.memset(block, 0x5A, request)
        block = realloc(block, 2 * request)
        assert block and ctypes.string_at(block, request) == b"\x5a" * request, f"{name}: realloc lost data"
        free(block)
        zeroed = calloc(request, 3)
        assert zeroed and ctypes.string_at(zeroed, 3 * request) == bytes(3 * request), f"{name}: calloc not zero"
        free(zeroed)


if lib.sm_select(backend) != 0:
    print(f"pyhost: sm_select({backend.decode()}) = -1: {lib.sm_last_error().decode()}")
    sys.exit(3)
for prefix in ("sm_raw", "sm_mem", "sm_object"):
    exercise(prefix, *family(prefix))
heap = lib.sm_heap_new(backend)
assert heap, f"sm_heap_new: {lib.sm_last_error().decode()}"
exercise("sm_heap", *(lambda *a, f=f: f(heap, *a) for f in
                      (lib.sm_heap_malloc, lib.sm_heap_calloc, lib.sm_heap_realloc, lib.sm_heap_free)))
lib.sm_heap_destroy(heap)
print(f"pyhost: backend {lib.sm_backend_name().decode()}")
print("pyhost: ok")
