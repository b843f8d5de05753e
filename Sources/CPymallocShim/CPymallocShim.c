#include "CPymallocShim.h"

#include <errno.h>
#include <pthread.h>
#include <sys/random.h>

void *sm_pymalloc_map_root[1 << 15];
struct sm_pymalloc_map_anchor sm_pymalloc_map_anchor __attribute__((aligned(4096)));
long sm_pymalloc_map_node_counts[2];

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;

void sm_pymalloc_map_lock(void) { pthread_mutex_lock(&map_lock); }
void sm_pymalloc_map_unlock(void) { pthread_mutex_unlock(&map_lock); }

/* Heap identities: a table of 2^16 entries (id 0 means "no heap"), the lowest free one handed out first. */
void *sm_pymalloc_heaps[1 << 16];
static pthread_mutex_t heap_table_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t lowest_possibly_free = 1;

uint16_t sm_pymalloc_heap_id_acquire(void *heap) {
  pthread_mutex_lock(&heap_table_lock);
  uint16_t id = 0;
  for (uint32_t candidate = lowest_possibly_free; candidate < (1u << 16); candidate++) {
    if (sm_pymalloc_heaps[candidate] == NULL) {
      id = (uint16_t)candidate;
      __atomic_store_n(&sm_pymalloc_heaps[candidate], heap, __ATOMIC_RELEASE);
      lowest_possibly_free = candidate + 1;
      break;
    }
  }
  pthread_mutex_unlock(&heap_table_lock);
  return id;
}

void sm_pymalloc_heap_id_release(uint16_t id) {
  pthread_mutex_lock(&heap_table_lock);
  __atomic_store_n(&sm_pymalloc_heaps[id], NULL, __ATOMIC_RELEASE);
  if (id < lowest_possibly_free) lowest_possibly_free = id;
  pthread_mutex_unlock(&heap_table_lock);
}

__thread struct sm_pymalloc_thread_slot sm_pymalloc_thread_slot __attribute__((tls_model("initial-exec")));

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t arena_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*after_fork_in_child_handler)(void);
static void *concurrent_allocators;

void sm_pymalloc_set_after_fork_in_child(void (*handler)(void)) { after_fork_in_child_handler = handler; }
void *sm_pymalloc_concurrent_allocators(void) { return concurrent_allocators; }
void sm_pymalloc_set_concurrent_allocators(void *head) { concurrent_allocators = head; }
static uintptr_t last_serial;

uintptr_t sm_pymalloc_next_serial(void) { return __atomic_add_fetch(&last_serial, 1, __ATOMIC_RELAXED); }

void sm_pymalloc_arena_cache_lock(void) { pthread_mutex_lock(&arena_cache_lock); }
void sm_pymalloc_arena_cache_unlock(void) { pthread_mutex_unlock(&arena_cache_lock); }

static void *arena_cache_head;
static long arena_cache_count;
void *sm_pymalloc_arena_cache_head(void) { return arena_cache_head; }
void sm_pymalloc_set_arena_cache_head(void *head) { arena_cache_head = head; }
long sm_pymalloc_arena_cache_count(void) { return arena_cache_count; }
void sm_pymalloc_set_arena_cache_count(long count) { arena_cache_count = count; }

void sm_pymalloc_shared_lock(void) { pthread_mutex_lock(&shared_lock); }
void sm_pymalloc_shared_unlock(void) { pthread_mutex_unlock(&shared_lock); }

long sm_pymalloc_key_create(void (*destructor)(void *)) {
  pthread_key_t key;
  return pthread_key_create(&key, destructor) == 0 ? (long)key : -1;
}
void sm_pymalloc_key_delete(long key) { pthread_key_delete((pthread_key_t)key); }
void *sm_pymalloc_key_get(long key) { return pthread_getspecific((pthread_key_t)key); }
void sm_pymalloc_key_set(long key, const void *value) { pthread_setspecific((pthread_key_t)key, value); }

/* fork(): no lock may be inherited held by a thread the child does not have. They are taken in the order their
   holders take them: shared, arena cache, heap table, map. */
static void before_fork(void) {
  pthread_mutex_lock(&shared_lock);
  pthread_mutex_lock(&arena_cache_lock);
  pthread_mutex_lock(&heap_table_lock);
  pthread_mutex_lock(&map_lock);
}
static void after_fork_in_parent(void) {
  pthread_mutex_unlock(&map_lock);
  pthread_mutex_unlock(&heap_table_lock);
  pthread_mutex_unlock(&arena_cache_lock);
  pthread_mutex_unlock(&shared_lock);
}
static void after_fork_in_child(void) {
  pthread_mutex_init(&map_lock, NULL);
  pthread_mutex_init(&heap_table_lock, NULL);
  pthread_mutex_init(&arena_cache_lock, NULL);
  if (after_fork_in_child_handler != NULL) after_fork_in_child_handler();
  pthread_mutex_init(&shared_lock, NULL);
}

__attribute__((constructor)) static void install_fork_handlers(void) {
  pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

uint64_t sm_random_word(void) {
  uint64_t word = 0;
  /* 8 bytes never come back short; an interruption before any byte is retried, any other failure gives 0. */
  ssize_t got;
  do {
    got = getrandom(&word, sizeof word, 0);
  } while (got < 0 && errno == EINTR);
  return got == (ssize_t)sizeof word ? word : 0;
}
