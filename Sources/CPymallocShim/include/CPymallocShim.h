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

/// What heap identity `id` names, or NULL.
extern void *sm_pymalloc_heaps[];
static inline void *sm_pymalloc_heap_named(uint16_t id) {
  return __atomic_load_n(&sm_pymalloc_heaps[id], __ATOMIC_ACQUIRE);
}

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
/// Compare-and-swap; on failure `*expected` receives the current value.
static inline _Bool sm_compare_exchange_word(uintptr_t *word, uintptr_t *expected, uintptr_t desired) {
  return __atomic_compare_exchange_n(word, expected, desired, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#ifdef __cplusplus
}
#endif

#endif
