#define _GNU_SOURCE
#include "CMimallocShim.h"

#if __has_include(<mimalloc.h>)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "CSystemShim.h"

sm_mi_table sm_mimalloc;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[600];

/// One per thread that made a heap; recycled through `free_slots` when its thread exits, never freed.
typedef struct thread_slot {
  uint64_t generation;
  struct thread_slot *next_free;
} thread_slot;

static pthread_key_t slot_key;
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static thread_slot *free_slots;

/// At thread exit: a new generation, so no heap made by this thread is taken for a later thread's.
static void retire_slot(void *value) {
  thread_slot *slot = value;
  __atomic_store_n(&slot->generation, slot->generation + 1, __ATOMIC_RELEASE);
  pthread_mutex_lock(&slots_lock);
  slot->next_free = free_slots;
  free_slots = slot;
  pthread_mutex_unlock(&slots_lock);
}

static void resolve(sm_local_library *library, sm_mi_table *table) {
  table->malloc = sm_local_library_symbol(library, "mi_malloc");
  table->zalloc = sm_local_library_symbol(library, "mi_zalloc");
  table->realloc = sm_local_library_symbol(library, "mi_realloc");
  table->malloc_aligned = sm_local_library_symbol(library, "mi_malloc_aligned");
  table->free = sm_local_library_symbol(library, "mi_free");
  table->usable_size = sm_local_library_symbol(library, "mi_usable_size");
  table->heap_new = sm_local_library_symbol(library, "mi_heap_new");
  table->heap_destroy = sm_local_library_symbol(library, "mi_heap_destroy");
  table->heap_malloc = sm_local_library_symbol(library, "mi_heap_malloc");
  table->heap_zalloc = sm_local_library_symbol(library, "mi_heap_zalloc");
  table->heap_realloc = sm_local_library_symbol(library, "mi_heap_realloc");
  table->heap_malloc_aligned = sm_local_library_symbol(library, "mi_heap_malloc_aligned");
  table->heap_collect = sm_local_library_symbol(library, "mi_heap_collect");
  table->heap_visit_blocks = sm_local_library_symbol(library, "mi_heap_visit_blocks");
  table->process_info = sm_local_library_symbol(library, "mi_process_info");
  table->stats_print_out = sm_local_library_symbol(library, "mi_stats_print_out");
  table->version = sm_local_library_symbol(library, "mi_version");
}

static void load(void) {
  // The slot key before mimalloc's own: glibc runs thread-exit destructors in key order, so a heap's owner is
  // retired before mimalloc deletes the exiting thread's heaps.
  if (pthread_key_create(&slot_key, retire_slot) != 0) {
    snprintf(load_error, sizeof load_error, "no thread-specific key left for the owner check");
    return;
  }
  sm_local_library library;
  sm_mi_table table;
  if (sm_local_library_open(&library, "SWIFTMALLOC_MIMALLOC_LIBRARY", "libmimalloc.so.2") == 0) {
    resolve(&library, &table);
  }
  if (library.error[0] != '\0') {
    snprintf(load_error, sizeof load_error, "%s", library.error);
    return;
  }
  int version = table.version();
  if (version / 100 != MI_MALLOC_VERSION / 100) {
    snprintf(load_error, sizeof load_error, "%s is mimalloc %d.%d.%d; the backend was built for mimalloc %d.x",
             library.path, version / 100, version / 10 % 10, version % 10, MI_MALLOC_VERSION / 100);
    return;
  }
  sm_mimalloc = table;
}

const char *sm_mi_load(void) {
  pthread_once(&load_once, load);
  return sm_mimalloc.malloc != NULL ? NULL : load_error;
}

sm_mi_owner sm_mi_current_owner(void) {
  thread_slot *slot = pthread_getspecific(slot_key);
  if (slot == NULL) {
    pthread_mutex_lock(&slots_lock);
    slot = free_slots;
    if (slot != NULL) free_slots = slot->next_free;
    pthread_mutex_unlock(&slots_lock);
    if (slot == NULL && (slot = calloc(1, sizeof *slot)) == NULL) abort();
    pthread_setspecific(slot_key, slot);
  }
  sm_mi_owner owner = {(uintptr_t)__builtin_thread_pointer(), &slot->generation, slot->generation};
  return owner;
}

static bool count_area(const mi_heap_t *heap, const mi_heap_area_t *area, void *block, size_t block_size,
                       void *argument) {
  (void)heap, (void)block, (void)block_size;
  sm_mi_heap_census *census = argument;
  census->blocks += area->used;
  census->block_bytes += area->used * area->block_size;
  census->committed_bytes += area->committed;
  census->reserved_bytes += area->reserved;
  return true;
}

sm_mi_heap_census sm_mi_heap_census_now(mi_heap_t *heap) {
  sm_mi_heap_census census = {0, 0, 0, 0};
  sm_mimalloc.heap_collect(heap, false);
  sm_mimalloc.heap_visit_blocks(heap, false, count_area, &census);
  return census;
}

sm_mi_process_figures sm_mi_process_figures_now(void) {
  size_t elapsed, user, system, current_rss, peak_rss, page_faults;
  sm_mi_process_figures figures;
  sm_mimalloc.process_info(&elapsed, &user, &system, &current_rss, &peak_rss, &figures.current_commit,
                           &figures.peak_commit, &page_faults);
  return figures;
}

static void write_to_stream(const char *message, void *stream) { fputs(message, stream); }

char *sm_mi_stats_text(void) {
  char *text = NULL;
  size_t length = 0;
  FILE *stream = open_memstream(&text, &length);
  if (stream == NULL) return NULL;
  sm_mimalloc.stats_print_out(write_to_stream, stream);
  fclose(stream);
  return text;
}
#endif
