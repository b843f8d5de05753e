#define _GNU_SOURCE
#include "CJemallocShim.h"

#if __has_include(<jemalloc/jemalloc.h>)
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "CSystemShim.h"

sm_je_table sm_jemalloc;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[600];

/* jemalloc's functions from `handle` (RTLD_DEFAULT: the process's own); returns 0 when all resolved. */
static int resolve(void *handle, sm_je_table *table) {
  table->mallocx = dlsym(handle, "mallocx");
  table->rallocx = dlsym(handle, "rallocx");
  table->dallocx = dlsym(handle, "dallocx");
  table->sdallocx = dlsym(handle, "sdallocx");
  table->sallocx = dlsym(handle, "sallocx");
  table->mallctl = dlsym(handle, "mallctl");
  return table->mallocx && table->rallocx && table->dallocx && table->sdallocx && table->sallocx && table->mallctl
    ? 0 : -1;
}

static void load(void) {
  sm_je_table table;
  if (resolve(RTLD_DEFAULT, &table) == 0) {
    sm_jemalloc = table;
    return;
  }
  sm_local_library library;
  if (sm_local_library_open(&library, "SWIFTMALLOC_JEMALLOC_LIBRARY", "libjemalloc.so.2") != 0) {
    snprintf(load_error, sizeof load_error,
             "%s (jemalloc is not in the process: link -ljemalloc into the program, LD_PRELOAD libjemalloc.so.2, or "
             "raise glibc's static TLS surplus with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096)",
             library.error);
    return;
  }
  if (resolve(library.handle, &table) != 0) {
    snprintf(load_error, sizeof load_error, "%s lacks jemalloc's non-standard API (mallocx, mallctl, ...)",
             library.path);
    return;
  }
  sm_jemalloc = table;
}

const char *sm_je_load(void) {
  pthread_once(&load_once, load);
  return sm_jemalloc.mallocx != NULL ? NULL : load_error;
}
#endif
