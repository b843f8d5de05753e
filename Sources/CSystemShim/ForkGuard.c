#define _GNU_SOURCE
#include "CSystemShim.h"

#include <pthread.h>

/* The debug hooks' fork guard: each section that holds one of their mutexes runs as a reader, and a fork handler
 * takes the guard as the writer (writers first, so a stream of readers cannot starve it), so that no such mutex
 * is held when the process is copied; the child starts with a fresh guard. The handlers belong to whoever orders
 * the process's locks (libSwiftMalloc's fork handlers call them inside its process lock). */
static pthread_rwlock_t fork_guard = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

void sm_fork_guard_enter(void) { pthread_rwlock_rdlock(&fork_guard); }
void sm_fork_guard_leave(void) { pthread_rwlock_unlock(&fork_guard); }
void sm_fork_guard_before_fork(void) { pthread_rwlock_wrlock(&fork_guard); }
void sm_fork_guard_after_fork_in_parent(void) { pthread_rwlock_unlock(&fork_guard); }
void sm_fork_guard_after_fork_in_child(void) {
  static const pthread_rwlock_t fresh = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
  fork_guard = fresh;
}
