#define _GNU_SOURCE
#include "CSystemShim.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

sm_glibc_table sm_glibc;

typedef struct { size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost; } glibc_mallinfo2;
static glibc_mallinfo2 (*glibc_mallinfo2_fn)(void);

static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;

static void *required_symbol(void *handle, const char *name) {
  void *symbol = dlsym(handle, name);
  if (symbol == NULL) {
    static const char prefix[] = "swift-malloc: cannot resolve glibc symbol ";
    (void)!write(2, prefix, sizeof prefix - 1);
    (void)!write(2, name, strlen(name));
    (void)!write(2, "\n", 1);
    abort();
  }
  return symbol;
}

static void resolve(void) {
  void *libc = dlopen("libc.so.6", RTLD_NOLOAD | RTLD_NOW);
  if (libc == NULL) libc = dlopen("libc.so.6", RTLD_NOW);
  if (libc == NULL) {
    static const char message[] = "swift-malloc: libc.so.6 is not loaded\n";
    (void)!write(2, message, sizeof message - 1);
    abort();
  }
  sm_glibc_table table;
  table.malloc = required_symbol(libc, "malloc");
  table.calloc = required_symbol(libc, "calloc");
  table.realloc = required_symbol(libc, "realloc");
  table.posix_memalign = required_symbol(libc, "posix_memalign");
  table.malloc_usable_size = required_symbol(libc, "malloc_usable_size");
  glibc_mallinfo2_fn = required_symbol(libc, "mallinfo2");
  table.free = NULL;
  sm_glibc = table;
  // `free` last: its non-NULL value is what `sm_glibc_entry_points` tests.
  __atomic_store_n(&sm_glibc.free, (void (*)(void *))required_symbol(libc, "free"), __ATOMIC_RELEASE);
  // glibc initialises its allocator at the first call, unguarded, counting the caller as the main arena's one
  // thread: it assumes the first call comes before a second thread exists. Where jemalloc serves the process's
  // `malloc`, the first call is ours, perhaps from two threads at once, and then two threads leave the main arena
  // counted once (glibc aborts in `__malloc_arena_thread_freeres` when the second ends). So the first call is made
  // here, at load, from one thread.
  sm_glibc.free(sm_glibc.malloc(1));
}

void sm_glibc_resolve(void) { pthread_once(&resolve_once, resolve); }

__attribute__((constructor)) static void resolve_at_load(void) { sm_glibc_resolve(); }

sm_glibc_heap_info sm_glibc_heap_info_now(void) {
  sm_glibc_resolve();
  glibc_mallinfo2 info = glibc_mallinfo2_fn();
  sm_glibc_heap_info result = {info.arena, info.hblkhd, info.uordblks, info.fordblks};
  return result;
}

int sm_backtrace(void **frames, int capacity) { return backtrace(frames, capacity); }

void sm_backtrace_symbols_fd(void *const *frames, int count, int fd) { backtrace_symbols_fd(frames, count, fd); }

int sm_symbolize(const void *address, char *buffer, size_t capacity) {
  Dl_info info;
  if (dladdr(address, &info) == 0 || info.dli_sname == NULL) return 0;
  snprintf(buffer, capacity, "%s+0x%zx", info.dli_sname, (size_t)((const char *)address - (const char *)info.dli_saddr));
  return 1;
}

/* The readability probe. The first two ways copy one byte of each page through the kernel, which refuses a page
 * that is unmapped or not readable (a PROT_NONE guard page or reservation, where mincore says "mapped") with EFAULT
 * instead of faulting; the last only sees mappings. Each returns 1 (all readable), 0 (some page is not) or -1 (this
 * way is unavailable here). None allocates or keeps state, so the probe is thread-safe and fork-safe. */
enum { probe_batch = 64 };

/* process_vm_readv on the own pid: no descriptor, one system call per batch. A seccomp filter may refuse it. */
static int probe_by_process_read(const uintptr_t *pages, int count) {
  char sink[probe_batch];
  struct iovec local = {sink, (size_t)count};
  struct iovec remote[probe_batch];
  for (int i = 0; i < count; i++) remote[i] = (struct iovec){(void *)pages[i], 1};
  ssize_t copied = process_vm_readv(getpid(), &local, 1, remote, (unsigned long)count, 0);
  if (copied < 0) return errno == EFAULT ? 0 : -1;
  return copied == count;
}

/* write(2) of each byte into a pipe of this call's own, which holds them all (a pipe holds 64 KiB). */
static int probe_by_pipe_write(const uintptr_t *pages, int count) {
  int pipe_ends[2];
  if (pipe2(pipe_ends, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
  int result = 1;
  for (int i = 0; i < count && result == 1; i++) {
    if (write(pipe_ends[1], (const void *)pages[i], 1) != 1) result = errno == EFAULT ? 0 : -1;
  }
  close(pipe_ends[0]);
  close(pipe_ends[1]);
  return result;
}

/* The last resort, blind to protection: mincore fails with ENOMEM where a page is unmapped. */
static int probe_by_mincore(const uintptr_t *pages, int count, uintptr_t page) {
  unsigned char residency;
  for (int i = 0; i < count; i++) {
    if (mincore((void *)(pages[i] & ~(page - 1)), 1, &residency) != 0 && errno == ENOMEM) return 0;
  }
  return 1;
}

static int probe(const uintptr_t *pages, int count, uintptr_t page) {
  int result = probe_by_process_read(pages, count);
  if (result < 0) result = probe_by_pipe_write(pages, count);
  return result < 0 ? probe_by_mincore(pages, count, page) : result;
}

int sm_is_readable(const void *address, size_t length) {
  uintptr_t start = (uintptr_t)address, end = start + length;
  if (end < start) return 0;
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  int saved_errno = errno;
  int readable = 1;
  for (uintptr_t next = start; readable && next < end;) {
    uintptr_t pages[probe_batch];
    int count = 0;
    for (; count < probe_batch && next < end; count++) {
      pages[count] = next;
      uintptr_t last_of_page = next | (page - 1);
      next = last_of_page >= end - 1 ? end : last_of_page + 1;
    }
    readable = probe(pages, count, page);
  }
  errno = saved_errno;
  return readable;
}

unsigned long sm_current_thread(void) { return (unsigned long)pthread_self(); }

int sm_local_library_open(sm_local_library *library, const char *path_variable, const char *default_path) {
  const char *path = getenv(path_variable);
  if (path == NULL || *path == '\0') path = default_path;
  snprintf(library->path, sizeof library->path, "%s", path);
  library->error[0] = '\0';
  library->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (library->handle != NULL) return 0;
  snprintf(library->error, sizeof library->error, "%s", dlerror());
  return -1;
}

void *sm_local_library_symbol(sm_local_library *library, const char *name) {
  void *symbol = library->handle == NULL ? NULL : dlsym(library->handle, name);
  if (symbol == NULL && library->error[0] == '\0') {
    snprintf(library->error, sizeof library->error, "%s: undefined symbol %s", library->path, name);
  }
  return symbol;
}
