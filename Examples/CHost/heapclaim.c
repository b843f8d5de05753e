/*
 * An unlocked sm_heap handed from thread to thread with sm_heap_claim, as CPython hands over the GIL: the main
 * thread creates the heap, a worker claims it and fills blocks, the main thread claims it back, checks and frees
 * them. The backend comes from SWIFTMALLOC.
 *
 *   heapclaim              the hand-over above; exit 0 when every block was intact
 *   heapclaim --unclaimed  the worker skips the claim (debug backends abort: "without holding the heap's lock")
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "swiftmalloc.h"

enum { BLOCKS = 100 };

static sm_heap *heap;
static unsigned char *blocks[BLOCKS];
static int claims = 1;

static void *worker(void *unused) {
  (void)unused;
  if (claims) sm_heap_claim(heap);
  for (int i = 0; i < BLOCKS; i++) {
    blocks[i] = sm_heap_malloc(heap, (size_t)i + 1);
    if (blocks[i]) memset(blocks[i], i, (size_t)i + 1);
  }
  return NULL;
}

int main(int argc, char **argv) {
  claims = !(argc > 1 && strcmp(argv[1], "--unclaimed") == 0);
  heap = sm_heap_new(NULL);
  if (!heap) {
    fprintf(stderr, "heapclaim: %s\n", sm_last_error());
    return 2;
  }
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  pthread_join(thread, NULL);
  sm_heap_claim(heap);
  int damaged = 0;
  for (int i = 0; i < BLOCKS; i++) {
    if (!blocks[i]) { damaged++; continue; }
    for (int j = 0; j <= i; j++) damaged += blocks[i][j] != i;
    sm_heap_free(heap, blocks[i]);
  }
  sm_heap_destroy(heap);
  printf("heapclaim: %d blocks made on a worker thread, freed on the main one, %d damaged\n", BLOCKS, damaged);
  return damaged ? 1 : 0;
}
