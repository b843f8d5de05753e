/* Module header for Swift: the public C ABI plus the process lock and per-thread error the exports use. */
#ifndef CSWIFTMALLOC_H
#define CSWIFTMALLOC_H

#include "swiftmalloc.h"

/* The process-wide heap's lock (a pthread mutex, reset in a forked child by pthread_atfork handlers). */
void sm_process_lock(void);
void sm_process_unlock(void);

/* Sets the calling thread's sm_last_error() text (copied, truncated to 511 bytes). */
void sm_set_last_error(const char *message);

#endif
