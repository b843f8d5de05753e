// The C allocation interface of glibc, defined for the whole process: each function forwards to the Swift entry
// point that implements it, or, for the glibc variants expressed through another call, implements glibc's argument
// rules here (errno, EINVAL, overflow) and forwards.
#include "CSwiftMallocPreload.h"

#include "CSystemShim.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sm_preload_backend_word;
void *sm_preload_heap;
void *sm_preload_debug;

static pthread_mutex_t single_owner_lock = PTHREAD_MUTEX_INITIALIZER;

void sm_preload_lock(void) { pthread_mutex_lock(&single_owner_lock); }
void sm_preload_unlock(void) { pthread_mutex_unlock(&single_owner_lock); }

/* fork(): a child must not inherit a lock held by a thread it does not have: the single-owner heap's, or one of
   the debug hooks' (their fork guard). */
static void before_fork(void) {
  pthread_mutex_lock(&single_owner_lock);
  sm_fork_guard_before_fork();
}
static void after_fork_in_parent(void) {
  sm_fork_guard_after_fork_in_parent();
  pthread_mutex_unlock(&single_owner_lock);
}
static void after_fork_in_child(void) {
  sm_fork_guard_after_fork_in_child();
  pthread_mutex_init(&single_owner_lock, NULL);
}

/* Runs after the Swift runtime's registration of this library (swiftrt.o comes first in the link, so its
   constructor first in .init_array); every allocation until the backend is published is glibc's. */
__attribute__((constructor)) static void start_process_allocator(void) {
  pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
  sm_preload_choose_backend();
}

static void (*exit_report)(void);
static void run_exit_report(void) {
  if (exit_report != NULL) exit_report();
}
void sm_preload_report_at_exit(void (*report)(void)) {
  exit_report = report;
  atexit(run_exit_report);
}

__thread struct sm_preload_thread sm_preload_thread __attribute__((tls_model("initial-exec")));

void sm_preload_free_deferred(void) {
  while (sm_preload_thread.deferred != NULL) {
    void *block = sm_preload_thread.deferred;
    sm_preload_thread.deferred = *(void **)block;
    sm_preload_free(block);
  }
}

/* The nested forms: glibc for everything new, the heap's blocks (the hooks', under a _debug backend) kept for the
   outer call to free. */
static void nested_free(void *pointer) {
  if (!sm_preload_is_heap_block(pointer)) return __libc_free(pointer);
  *(void **)pointer = sm_preload_thread.deferred;
  sm_preload_thread.deferred = pointer;
}

static void *nested_realloc(void *pointer, size_t size) {
  if (pointer == NULL || !sm_preload_is_heap_block(pointer)) return __libc_realloc(pointer, size);
  if (size == 0) {
    nested_free(pointer);
    return NULL;
  }
  void *moved = __libc_malloc(size);
  if (moved == NULL) return NULL;
  size_t old = sm_preload_heap_block_size(pointer);
  memcpy(moved, pointer, old < size ? old : size);
  nested_free(pointer);
  return moved;
}

static size_t nested_usable_size(void *pointer) {
  if (pointer == NULL) return 0;
  if (sm_preload_is_heap_block(pointer)) return sm_preload_heap_block_size(pointer);
  return sm_glibc_entry_points()->malloc_usable_size(pointer);
}

/* Every entry point: the heap when the thread is outside the allocator, else the nested form. */
#define SM_ENTER_OR(nested) \
  if (!sm_preload_enter()) return nested

void *malloc(size_t size) {
  SM_ENTER_OR(__libc_malloc(size));
  void *block = sm_preload_malloc(size);
  sm_preload_leave();
  return block;
}

void free(void *pointer) {
  SM_ENTER_OR(nested_free(pointer));
  sm_preload_free(pointer);
  sm_preload_leave();
}

void *calloc(size_t count, size_t size) {
  SM_ENTER_OR(__libc_calloc(count, size));
  void *block = sm_preload_calloc(count, size);
  sm_preload_leave();
  return block;
}

void *realloc(void *pointer, size_t size) {
  SM_ENTER_OR(nested_realloc(pointer, size));
  void *block = sm_preload_realloc(pointer, size);
  sm_preload_leave();
  return block;
}

size_t malloc_usable_size(void *pointer) {
  SM_ENTER_OR(nested_usable_size(pointer));
  size_t size = sm_preload_usable_size(pointer);
  sm_preload_leave();
  return size;
}

/* The memalign family's common end (its argument rules are the callers'). */
static void *aligned(size_t alignment, size_t size) {
  SM_ENTER_OR(__libc_memalign(alignment, size));
  void *block = sm_preload_memalign(alignment, size);
  sm_preload_leave();
  return block;
}

void *memalign(size_t alignment, size_t size) { return aligned(alignment, size); }

void *sm_preload_new(size_t size, size_t alignment, int family) {
  SM_ENTER_OR(alignment > 16 ? __libc_memalign(alignment, size) : __libc_malloc(size));
  void *block = sm_preload_family_allocate(size, alignment, family);
  sm_preload_leave();
  return block;
}

void sm_preload_delete(void *pointer, int family) {
  SM_ENTER_OR(nested_free(pointer));
  sm_preload_family_free(pointer, family);
  sm_preload_leave();
}

void *reallocarray(void *pointer, size_t count, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return NULL;
  }
  return realloc(pointer, bytes);
}

/* EINVAL, and *memptr untouched, unless the alignment is a power of two multiple of sizeof(void *). */
int posix_memalign(void **memptr, size_t alignment, size_t size) {
  if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) return EINVAL;
  int saved = errno;
  void *block = aligned(alignment, size);
  if (block == NULL) {
    errno = saved;
    return ENOMEM;
  }
  *memptr = block;
  return 0;
}

/* glibc 2.36 accepts any alignment here, as memalign does (a non-power of two is rounded up). */
void *aligned_alloc(size_t alignment, size_t size) { return aligned(alignment, size); }

void *valloc(size_t size) { return aligned((size_t)sysconf(_SC_PAGESIZE), size); }

void *pvalloc(size_t size) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t rounded;
  if (__builtin_add_overflow(size, page - 1, &rounded)) {
    errno = ENOMEM;
    return NULL;
  }
  return aligned(page, rounded & ~(page - 1));
}
