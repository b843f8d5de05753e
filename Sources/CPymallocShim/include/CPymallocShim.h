// CPymallocShim: the few process-wide statics of pymalloc, and the atomic accesses its Swift code makes.
//
// Every pymalloc heap in a process shares one arena map (a radix tree over 1 MiB arena slots), so that any heap
// recognises a block of any other heap and can name its owner, and a heap of one thread can be found from a block
// another thread frees. Its anchors live here, as plain C statics, because they must exist before the first
// allocation of a process and without Swift's lazy global initialisation.
#ifndef CPYMALLOCSHIM_H
#define CPYMALLOCSHIM_H

#include <stddef.h>
#include <stdint.h>

#include "sm_memory_tracking.h"

#ifdef __cplusplus
extern "C" {
#endif

// MARK: The arena map's root

/// The root of the arena map: 2^15 mid-node pointers, in .bss (as CPython's static root). Entry 0 (every address
/// below 2^49, all of user space on 64-bit Linux) is kept apart, in the middle of a page of its own: the root's
/// first entry would share the L1 set that every (16 KiB-aligned) pool header maps to.
extern void *sm_pymalloc_map_root[];
struct sm_pymalloc_map_anchor {
  char padding[2048];
  void *low_mid;
};
extern struct sm_pymalloc_map_anchor sm_pymalloc_map_anchor;

/// The mid node for `root_index`, or NULL (an acquire load: nodes are published under the map lock).
static inline void *sm_pymalloc_map_mid(size_t root_index) {
  return root_index == 0 ? __atomic_load_n(&sm_pymalloc_map_anchor.low_mid, __ATOMIC_ACQUIRE)
                         : __atomic_load_n(&sm_pymalloc_map_root[root_index], __ATOMIC_ACQUIRE);
}

/// Publishes the mid node for `root_index` (call under the map lock).
static inline void sm_pymalloc_map_set_mid(size_t root_index, void *mid) {
  if (root_index == 0) __atomic_store_n(&sm_pymalloc_map_anchor.low_mid, mid, __ATOMIC_RELEASE);
  else __atomic_store_n(&sm_pymalloc_map_root[root_index], mid, __ATOMIC_RELEASE);
}

/// Mid and bottom nodes mapped so far (for the report); counted under the map lock, read from any thread.
extern long sm_pymalloc_map_node_counts[2];
static inline long sm_pymalloc_map_node_count(int bottom) {
  return __atomic_load_n(&sm_pymalloc_map_node_counts[bottom != 0], __ATOMIC_RELAXED);
}
static inline void sm_pymalloc_map_count_node(int bottom) {
  __atomic_fetch_add(&sm_pymalloc_map_node_counts[bottom != 0], 1, __ATOMIC_RELAXED);
}

/// The map lock: node creation and leaf writes (lookups take no lock). Held across fork by an atfork handler.
void sm_pymalloc_map_lock(void);
void sm_pymalloc_map_unlock(void);

// MARK: Heap identities

/// Takes the lowest free heap identity (1 … 65535) for `heap`, or returns 0 when every one is taken.
uint16_t sm_pymalloc_heap_id_acquire(void *heap);

/// Gives `id` back; the table entry is cleared.
void sm_pymalloc_heap_id_release(uint16_t id);

/// A word from the kernel's random source (`getrandom`), for a hardened heap's secret; 0 if the call fails.
uint64_t sm_random_word(void);

/// What heap identity `id` names, or NULL.
extern void *sm_pymalloc_heaps[];
static inline void *sm_pymalloc_heap_named(uint16_t id) {
  return __atomic_load_n(&sm_pymalloc_heaps[id], __ATOMIC_ACQUIRE);
}

// MARK: The concurrent heap's per-thread slot and shared lock

/// The calling thread's heap of the concurrent allocator it used last: one slot, compared by owner, so the fast path
/// is one thread-local load and a compare (initial-exec TLS: 16 bytes of the static TLS surplus).
struct sm_pymalloc_thread_slot {
  uintptr_t owner;
  void *heap;
};
extern __thread struct sm_pymalloc_thread_slot sm_pymalloc_thread_slot __attribute__((tls_model("initial-exec")));

/// The calling thread's heap for the concurrent allocator `owner`, or NULL when the slot holds another's or none.
static inline void *sm_pymalloc_thread_heap(uintptr_t owner) {
  return sm_pymalloc_thread_slot.owner == owner ? sm_pymalloc_thread_slot.heap : NULL;
}

/// The slot's owner tag (0 when empty) and heap, read apart for the fast path: when the tag matches, the heap is
/// never NULL.
static inline uintptr_t sm_pymalloc_thread_slot_owner(void) { return sm_pymalloc_thread_slot.owner; }
static inline void *sm_pymalloc_thread_slot_heap(void) { return sm_pymalloc_thread_slot.heap; }

/// Records `heap` as the calling thread's heap for `owner` (0, NULL empties the slot).
static inline void sm_pymalloc_set_thread_heap(uintptr_t owner, void *heap) {
  sm_pymalloc_thread_slot.owner = owner;
  sm_pymalloc_thread_slot.heap = heap;
}

/// The lock of every concurrent allocator's shared state (its heap lists, abandonment and adoption, its arena
/// source). Held across fork; in the child, `sm_pymalloc_after_fork_in_child` (set by the Swift side) runs with it
/// held, before it is released.
void sm_pymalloc_shared_lock(void);
void sm_pymalloc_shared_unlock(void);
void sm_pymalloc_set_after_fork_in_child(void (*handler)(void));

/// The head of the list of every concurrent allocator of the process, through their states (guarded by the shared
/// lock), for the fork handler.
void *sm_pymalloc_concurrent_allocators(void);
void sm_pymalloc_set_concurrent_allocators(void *head);

/// A number no other concurrent allocator of the process had: the thread slot's owner tag.
uintptr_t sm_pymalloc_next_serial(void);

/// The lock of the shared arena source's cache of free arenas (taken inside the shared lock, never around it), and
/// the cache: free arenas linked through their first word, and their count (read and written under the lock).
void sm_pymalloc_arena_cache_lock(void);
void sm_pymalloc_arena_cache_unlock(void);
void *sm_pymalloc_arena_cache_head(void);
void sm_pymalloc_set_arena_cache_head(void *head);
long sm_pymalloc_arena_cache_count(void);
void sm_pymalloc_set_arena_cache_count(long count);

/// A thread-exit destructor key for a concurrent allocator (`pthread_key_create`); -1 when none is left.
long sm_pymalloc_key_create(void (*destructor)(void *));
void sm_pymalloc_key_delete(long key);
void *sm_pymalloc_key_get(long key);
void sm_pymalloc_key_set(long key, const void *value);

// MARK: Atomics on words the Swift code shares between threads

static inline uint64_t sm_load_relaxed_u64(const uint64_t *word) { return __atomic_load_n(word, __ATOMIC_RELAXED); }
static inline void sm_store_relaxed_u64(uint64_t *word, uint64_t value) {
  __atomic_store_n(word, value, __ATOMIC_RELAXED);
}
static inline void *sm_load_acquire_pointer(void *const *word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE); }
static inline void sm_store_release_pointer(void **word, void *value) {
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
}
static inline uintptr_t sm_load_acquire_word(const uintptr_t *word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE); }
static inline uintptr_t sm_load_relaxed_word(const uintptr_t *word) { return __atomic_load_n(word, __ATOMIC_RELAXED); }
static inline void sm_store_release_word(uintptr_t *word, uintptr_t value) {
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
}
static inline uintptr_t sm_exchange_word(uintptr_t *word, uintptr_t value) {
  return __atomic_exchange_n(word, value, __ATOMIC_ACQ_REL);
}
static inline uintptr_t sm_fetch_and_word(uintptr_t *word, uintptr_t mask) {
  return __atomic_fetch_and(word, mask, __ATOMIC_ACQ_REL);
}
static inline void sm_add_relaxed_word(uintptr_t *word, uintptr_t value) { __atomic_fetch_add(word, value, __ATOMIC_RELAXED); }
/// Compare-and-swap; on failure `*expected` receives the current value.
static inline _Bool sm_compare_exchange_word(uintptr_t *word, uintptr_t *expected, uintptr_t desired) {
  return __atomic_compare_exchange_n(word, expected, desired, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#ifdef __cplusplus
}
#endif

#endif
