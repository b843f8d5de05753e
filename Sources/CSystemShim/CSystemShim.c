#define _GNU_SOURCE
#include "CSystemShim.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
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

int sm_is_mapped(const void *address, size_t length) {
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t start = (uintptr_t)address & ~(page - 1);
  uintptr_t end = (uintptr_t)address + length;
  if (end < (uintptr_t)address) return 0;
  /* mincore fails with ENOMEM where a page is unmapped; it reads nothing at the address, only fills `pages`. */
  unsigned char pages[64];
  for (uintptr_t chunk = start; chunk < end; chunk += sizeof pages * page) {
    uintptr_t chunk_end = end - chunk < sizeof pages * page ? end : chunk + sizeof pages * page;
    if (mincore((void *)chunk, chunk_end - chunk, pages) != 0 && errno == ENOMEM) return 0;
  }
  return 1;
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
