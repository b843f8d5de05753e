/* Module header for Swift: the public C ABI plus the process lock and per-thread error the exports use. */
#ifndef CSWIFTMALLOC_H
#define CSWIFTMALLOC_H

#include "swiftmalloc.h"

/* The process-wide heap's lock (a pthread mutex, reset in a forked child by pthread_atfork handlers). */
void sm_process_lock(void);
void sm_process_unlock(void);

/* The process heap once published (an unmanaged Swift object), else NULL: read without the lock on every family
 * call, written once under it. */
extern void *sm_process_heap;
static inline void *sm_process_heap_load(void) { return __atomic_load_n(&sm_process_heap, __ATOMIC_ACQUIRE); }
static inline void sm_process_heap_publish(void *heap) { __atomic_store_n(&sm_process_heap, heap, __ATOMIC_RELEASE); }

/* Sets the calling thread's sm_last_error() text (copied, truncated to 511 bytes). */
void sm_set_last_error(const char *message);

#endif
