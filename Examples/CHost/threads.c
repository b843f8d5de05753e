/*
 * A thread pool on the locked process-wide heap: 4 threads × 100 000 mixed operations over the three families, a
 * third of the frees done by another thread than the allocation (through a shared mailbox), every block's content
 * verified before it is freed or resized. Exit 0 when nothing was corrupted.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "swiftmalloc.h"

enum { THREADS = 4, OPERATIONS = 100000, SLOTS = 256, MAILBOX = 1024 };

typedef struct { uint8_t *block; size_t size; int family; } entry;

static entry mailbox[MAILBOX];
static int mailbox_count;
static pthread_mutex_t mailbox_lock = PTHREAD_MUTEX_INITIALIZER;
static long corrupted, cross_thread_frees;

static void *family_malloc(int family, size_t n) {
  return family == 0 ? sm_raw_malloc(n) : family == 1 ? sm_mem_malloc(n) : sm_object_malloc(n);
}
static void *family_realloc(int family, void *p, size_t n) {
  return family == 0 ? sm_raw_realloc(p, n) : family == 1 ? sm_mem_realloc(p, n) : sm_object_realloc(p, n);
}
static void family_free(int family, void *p) {
  if (family == 0) sm_raw_free(p); else if (family == 1) sm_mem_free(p); else sm_object_free(p);
}

static void fill(entry *e) { memset(e->block, (int)(e->size * 7 + e->family) & 0xff, e->size); }
static int intact(const entry *e) {
  for (size_t i = 0; i < e->size; i++) if (e->block[i] != (uint8_t)((e->size * 7 + e->family) & 0xff)) return 0;
  return 1;
}
static void release(entry *e) {
  if (!intact(e)) __atomic_add_fetch(&corrupted, 1, __ATOMIC_RELAXED);
  family_free(e->family, e->block);
}

static void *worker(void *argument) {
  uint64_t x = 88172645463325252ULL ^ (uint64_t)(uintptr_t)argument;
  entry slots[SLOTS] = {0};
  for (int op = 0; op < OPERATIONS; op++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    entry *e = &slots[x % SLOTS];
    if (!e->block) {
      e->family = (int)((x >> 8) % 3);
      e->size = 1 + (x >> 16) % 600;
      e->block = family_malloc(e->family, e->size);
      fill(e);
    } else if ((x >> 24) % 4 == 0) {
      if (!intact(e)) __atomic_add_fetch(&corrupted, 1, __ATOMIC_RELAXED);
      e->size = 1 + (x >> 32) % 600;
      e->block = family_realloc(e->family, e->block, e->size);
      fill(e);
    } else if ((x >> 40) % 3 == 0) {
      pthread_mutex_lock(&mailbox_lock);
      if (mailbox_count < MAILBOX) { mailbox[mailbox_count++] = *e; e->block = NULL; }
      pthread_mutex_unlock(&mailbox_lock);
      if (e->block) { release(e); e->block = NULL; }
    } else {
      release(e);
      e->block = NULL;
    }
    if (op % 4 == 0) {
      entry other = {0};
      pthread_mutex_lock(&mailbox_lock);
      if (mailbox_count > 0) other = mailbox[--mailbox_count];
      pthread_mutex_unlock(&mailbox_lock);
      if (other.block) { release(&other); __atomic_add_fetch(&cross_thread_frees, 1, __ATOMIC_RELAXED); }
    }
  }
  for (int i = 0; i < SLOTS; i++) if (slots[i].block) release(&slots[i]);
  return NULL;
}

int main(void) {
  pthread_t threads[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  for (int i = 0; i < mailbox_count; i++) release(&mailbox[i]);
  printf("threads on %s: %d × %d operations, %ld cross-thread frees, %ld corrupted blocks\n", sm_backend_name(),
         THREADS, OPERATIONS, cross_thread_frees, corrupted);
  return corrupted == 0 && cross_thread_frees > 0 ? 0 : 1;
}
