#include "CSwiftMalloc.h"
#include "CSystemShim.h"

#include <pthread.h>
#include <string.h>

static pthread_mutex_t process_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread char last_error[512];
void *sm_process_heap;

void sm_process_lock(void) { pthread_mutex_lock(&process_lock); }
void sm_process_unlock(void) { pthread_mutex_unlock(&process_lock); }

/* fork(): hold the lock, then the debug hooks' fork guard (taken inside the lock by locked families), across it so
 * the child never inherits either held by a thread that does not exist there. */
static void before_fork(void) {
  pthread_mutex_lock(&process_lock);
  sm_fork_guard_before_fork();
}
static void after_fork_in_parent(void) {
  sm_fork_guard_after_fork_in_parent();
  pthread_mutex_unlock(&process_lock);
}
static void after_fork_in_child(void) {
  sm_fork_guard_after_fork_in_child();
  pthread_mutex_init(&process_lock, NULL);
}

__attribute__((constructor)) static void install_fork_handlers(void) {
  pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

void sm_set_last_error(const char *message) {
  strncpy(last_error, message, sizeof last_error - 1);
  last_error[sizeof last_error - 1] = '\0';
}

const char *sm_last_error(void) { return last_error; }
