// Cross-thread frees: each producer allocates blocks of many sizes and hands them to a consumer thread through a
// ring, which checks their contents and frees them; producers exit while their blocks are still in flight.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { producers = 4, blocks_each = 200000, ring_size = 1024 };

static void *ring[ring_size];
static size_t head, tail;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int bad;

static void put(void *block) {
  pthread_mutex_lock(&lock);
  while (head - tail == ring_size) pthread_cond_wait(&changed, &lock);
  ring[head++ % ring_size] = block;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
}

static void *take(void) {
  pthread_mutex_lock(&lock);
  while (head == tail) pthread_cond_wait(&changed, &lock);
  void *block = ring[tail++ % ring_size];
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  return block;
}

static void *produce(void *argument) {
  uintptr_t seed = (uintptr_t)argument;
  for (int i = 0; i < blocks_each; i++) {
    size_t size = 8 + (seed * 7919u + (unsigned)i * 104729u) % 1024;
    unsigned char *block = malloc(size);
    if (block == NULL) abort();
    memset(block, (int)(size & 0xFF), size);
    ((size_t *)block)[0] = size;
    put(block);
    if (i % 3 == 0) free(malloc(size / 2 + 1));  // a local free between the handed-over blocks
  }
  return NULL;
}

static void *consume(void *unused) {
  (void)unused;
  for (long i = 0; i < (long)producers * blocks_each; i++) {
    unsigned char *block = take();
    size_t size = ((size_t *)block)[0];
    for (size_t k = sizeof(size_t); k < size; k++) {
      if (block[k] != (unsigned char)(size & 0xFF)) {
        bad = 1;
        break;
      }
    }
    free(block);
  }
  return NULL;
}

int main(void) {
  pthread_t consumer, threads[producers];
  pthread_create(&consumer, NULL, consume, NULL);
  for (uintptr_t t = 0; t < producers; t++) pthread_create(&threads[t], NULL, produce, (void *)(t + 1));
  for (int t = 0; t < producers; t++) pthread_join(threads[t], NULL);
  pthread_join(consumer, NULL);
  puts(bad ? "threads: corrupted block" : "threads: ok");
  return bad;
}
