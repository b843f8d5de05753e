/*
 * pair and churn (benchmarks.md, CPython-like size mix) through swift-malloc's unlocked per-heap C ABI and through
 * libpython's own PyObject_Malloc, in the same process; prints ns/op and the ratio sm_heap / CPython. The sm_heap
 * first holds the same small-block heap as the interpreter does after start-up, so neither runs on a colder heap.
 * Its own file because pymem_compat.h takes CPython's names.
 *
 *   cbench [N] [BACKEND]        N objects (default 1000000), BACKEND a SWIFTMALLOC name (default pymalloc)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "swiftmalloc.h"

/* sys._debugmallocstats(): exported by libpython, declared only in its internal headers. */
int _PyObject_DebugMallocStats(FILE *out);

static uint64_t state = 88172645463325252ULL;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }

static size_t draw(void) {
  uint64_t share = next() % 100;
  if (share < 10) return 16;
  if (share < 40) return 32;
  if (share < 60) return 48;
  if (share < 80) return 64;
  if (share < 90) return 65 + next() % 64;
  return 129 + next() % 384;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

typedef struct { void *(*malloc)(void *, size_t); void (*free)(void *, void *); void *context; } allocator;

static void *heap_malloc(void *heap, size_t n) { return sm_heap_malloc(heap, n); }
static void heap_free(void *heap, void *p) { sm_heap_free(heap, p); }
static void *python_malloc(void *unused, size_t n) { (void)unused; return PyObject_Malloc(n); }
static void python_free(void *unused, void *p) { (void)unused; PyObject_Free(p); }

static double pair(const allocator *a, const size_t *sizes, size_t n) {
  double start = now();
  for (size_t i = 0; i < n; i++) {
    char *p = a->malloc(a->context, sizes[i]);
    p[0] = 1;
    a->free(a->context, p);
  }
  return (now() - start) / n;
}

static double churn(const allocator *a, const size_t *sizes, size_t n) {
  size_t live = n / 10;
  char **slots = malloc(live * sizeof *slots);
  uint64_t saved = state;
  state = 88172645463325252ULL;
  double start = now();
  for (size_t i = 0; i < live; i++) { slots[i] = a->malloc(a->context, sizes[i % n]); slots[i][0] = 1; }
  for (size_t i = 0; i < 4 * n; i++) {
    size_t slot = next() % live;
    a->free(a->context, slots[slot]);
    slots[slot] = a->malloc(a->context, sizes[i % n]);
    slots[slot][0] = 1;
  }
  for (size_t i = 0; i < live; i++) a->free(a->context, slots[i]);
  double elapsed = now() - start;
  state = saved;
  free(slots);
  return elapsed / (2.0 * live + 8.0 * n);
}

/* The heap the interpreter holds after start-up, rebuilt in `heap` as `swiftmalloc bench --resident cpython` does
 * (AllocatorWorkloads' ResidentHeap): per row of CPython's _debugmallocstats class table, allocate in-use + available
 * blocks of the class size (exactly the row's pools for pymalloc), keep one block live in each pool and the rest
 * front-first, and free the others last to first. Returns the blocks kept live. */
static void **hold_interpreter_heap(sm_heap *heap, size_t *kept) {
  char *report = NULL;
  size_t length = 0;
  FILE *stream = open_memstream(&report, &length);
  _PyObject_DebugMallocStats(stream);
  fclose(stream);
  size_t capacity = 0;
  void **blocks = NULL;
  *kept = 0;
  for (char *line = strtok(report, "\n"); line; line = strtok(NULL, "\n")) {
    long index, size, pools, used, available;
    char extra;
    if (sscanf(line, "%ld %ld %ld %ld %ld %c", &index, &size, &pools, &used, &available, &extra) != 5) continue;
    long per_pool = (used + available) / pools, total = per_pool * pools;
    void **row = malloc(total * sizeof *row);
    capacity += used;
    blocks = realloc(blocks, capacity * sizeof *blocks);
    for (long i = 0; i < total; i++) row[i] = sm_heap_malloc(heap, (size_t)size);
    for (long i = total - 1; i >= 0; i--) {
      long pool = i / per_pool, spare = used - pools - pool * (per_pool - 1);
      long live = 1 + (spare < 0 ? 0 : spare > per_pool - 1 ? per_pool - 1 : spare);
      if (i % per_pool < live) blocks[(*kept)++] = row[i];
      else sm_heap_free(heap, row[i]);
    }
    free(row);
  }
  free(report);
  return blocks;
}

static double median3(double (*workload)(const allocator *, const size_t *, size_t), const allocator *a,
                      const size_t *sizes, size_t n) {
  workload(a, sizes, n);
  double r[3];
  for (int i = 0; i < 3; i++) r[i] = workload(a, sizes, n);
  double lo = r[0] < r[1] ? r[0] : r[1], hi = r[0] < r[1] ? r[1] : r[0];
  return r[2] < lo ? lo : r[2] > hi ? hi : r[2];
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
  const char *backend = argc > 2 ? argv[2] : "pymalloc";
  Py_InitializeEx(0);
  sm_heap *heap = sm_heap_new(backend);
  if (!heap) { fprintf(stderr, "cbench: %s\n", sm_last_error()); return 2; }
  size_t resident = 0;
  void **resident_blocks = hold_interpreter_heap(heap, &resident);
  size_t *sizes = malloc(n * sizeof *sizes);
  for (size_t i = 0; i < n; i++) sizes[i] = draw();
  allocator swift = {heap_malloc, heap_free, heap}, python = {python_malloc, python_free, NULL};
  const char *names[] = {"pair", "churn"};
  double (*workloads[])(const allocator *, const size_t *, size_t) = {pair, churn};
  printf("cbench: N = %zu, sm_heap backend %s (holding the interpreter's start-up heap: %zu blocks) vs libpython "
         "PyObject_Malloc, median of 3\n", n, backend, resident);
  for (int w = 0; w < 2; w++) {
    double ours = median3(workloads[w], &swift, sizes, n), theirs = median3(workloads[w], &python, sizes, n);
    printf("%-6s sm_heap %6.2f ns/op   PyObject_Malloc %6.2f ns/op   ratio %.2f\n", names[w], ours, theirs,
           ours / theirs);
  }
  for (size_t i = 0; i < resident; i++) sm_heap_free(heap, resident_blocks[i]);
  free(resident_blocks);
  sm_heap_destroy(heap);
  free(sizes);
  return 0;
}
