/*
 * A C host written against CPython's memory API only (pymem_compat.h), linked against libSwiftMalloc.so.
 * It builds and tears down a tree of small nodes through the object family, grows a buffer through PyMem_Resize,
 * uses the raw family, checks every byte, and prints the backend's statistics. The backend comes from SWIFTMALLOC.
 *
 *   chost                   the round trip above; exit 0 when every check passed
 *   chost --overflow        writes one byte past a 16-byte PyMem_Malloc block and frees it (debug backends abort)
 *   chost --use-after-free  reads a freed 32-byte PyObject_Malloc block
 *   chost --mismatch        frees a PyMem_Malloc block with PyObject_Free (debug backends: "bad ID")
 *   chost --select NAME     calls sm_select(NAME) first and prints its result and sm_last_error()
 *
 * Under SWIFTMALLOC=pymalloc, make asan and make valgrind report the overflow and the use after free at the byte
 * (Examples/run-checked-examples.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pymem_compat.h"

typedef struct node {
  struct node *left, *right;
  uint32_t depth, tag;
  char payload[24];
} node;

static int failures;

static void check(int condition, const char *what) {
  if (!condition) {
    fprintf(stderr, "chost: check failed: %s\n", what);
    failures++;
  }
}

static node *build(uint32_t depth, uint32_t *next_tag) {
  node *n = PyObject_Malloc(sizeof(node));
  check(n != NULL && ((uintptr_t)n & 15) == 0, "PyObject_Malloc returns a 16-aligned node");
  n->depth = depth;
  n->tag = (*next_tag)++;
  memset(n->payload, (int)(n->tag & 0xff), sizeof n->payload);
  n->left = depth ? build(depth - 1, next_tag) : NULL;
  n->right = depth ? build(depth - 1, next_tag) : NULL;
  return n;
}

static uint32_t tear_down(node *n) {
  if (!n) return 0;
  uint32_t count = 1 + tear_down(n->left) + tear_down(n->right);
  for (size_t i = 0; i < sizeof n->payload; i++) check((uint8_t)n->payload[i] == (n->tag & 0xff), "node payload intact");
  PyObject_Free(n);
  return count;
}

static void round_trip(void) {
  uint32_t tag = 0;
  node *root = build(14, &tag);
  printf("backend %s: %u nodes live, allocated blocks %zu\n", sm_backend_name(), tag, sm_allocated_blocks());
  check(tear_down(root) == tag, "every node freed once");

  int *numbers = PyMem_New(int, 10);
  check(numbers != NULL, "PyMem_New");
  for (int i = 0; i < 10; i++) numbers[i] = i * i;
  PyMem_Resize(numbers, int, 100000);
  check(numbers != NULL, "PyMem_Resize grows");
  for (int i = 0; i < 10; i++) check(numbers[i] == i * i, "PyMem_Resize keeps content");
  PyMem_Del(numbers);

  int *huge = PyMem_New(int, (size_t)PY_SSIZE_T_MAX);
  check(huge == NULL, "PyMem_New overflow check");

  void *zero = PyMem_Malloc(0), *zero_too = PyObject_Malloc(0), *raw_zero = PyMem_RawMalloc(0);
  check(zero && zero_too && raw_zero && zero != zero_too, "0 bytes gives distinct non-NULL pointers");
  PyMem_Free(zero);
  PyObject_Free(zero_too);
  PyMem_RawFree(raw_zero);

  char *zeroed = PyObject_Calloc(64, 8);
  for (int i = 0; i < 512; i++) check(zeroed[i] == 0, "PyObject_Calloc zeroes");
  PyObject_Free(zeroed);
  check(PyMem_Calloc((size_t)1 << 62, 8) == NULL, "calloc overflow gives NULL");
  check(PyMem_RawRealloc(NULL, 10) != NULL, "realloc(NULL) allocates");

  sm_print_stats(1);
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "--select") == 0) {
    int result = sm_select(argv[2]);
    printf("sm_select(\"%s\") = %d: %s\n", argv[2], result, sm_last_error());
    return result == 0 ? 0 : 3;
  }
  if (argc > 1 && strcmp(argv[1], "--overflow") == 0) {
    char *p = PyMem_Malloc(16);
    p[16] = 'x';
    PyMem_Free(p);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--use-after-free") == 0) {
    char *p = PyObject_Malloc(32), *neighbour = PyObject_Malloc(32);
    PyObject_Free(p);
    printf("read %d\n", p[8]);
    PyObject_Free(neighbour);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--mismatch") == 0) {
    PyObject_Free(PyMem_Malloc(16));
    return 0;
  }
  round_trip();
  printf("chost: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
