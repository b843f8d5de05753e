#include "CTcmallocShim.h"

#include <pthread.h>
#include <stdio.h>

#include "CSystemShim.h"

sm_tc_table sm_tcmalloc;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[600];

static void load(void) {
  sm_local_library library;
  sm_tc_table table;
  if (sm_local_library_open(&library, "SWIFTMALLOC_TCMALLOC_LIBRARY", "libtcmalloc_minimal.so.4") == 0) {
    table.malloc = sm_local_library_symbol(&library, "tc_malloc");
    table.calloc = sm_local_library_symbol(&library, "tc_calloc");
    table.realloc = sm_local_library_symbol(&library, "tc_realloc");
    table.memalign = sm_local_library_symbol(&library, "tc_memalign");
    table.free = sm_local_library_symbol(&library, "tc_free");
    table.malloc_size = sm_local_library_symbol(&library, "tc_malloc_size");
    table.numeric_property = sm_local_library_symbol(&library, "MallocExtension_GetNumericProperty");
    table.stats = sm_local_library_symbol(&library, "MallocExtension_GetStats");
  }
  if (library.error[0] != '\0') {
    snprintf(load_error, sizeof load_error, "%s", library.error);
    return;
  }
  sm_tcmalloc = table;
}

const char *sm_tc_load(void) {
  pthread_once(&load_once, load);
  return sm_tcmalloc.malloc != NULL ? NULL : load_error;
}

size_t sm_tc_property(const char *name) {
  size_t value = 0;
  return sm_tcmalloc.numeric_property(name, &value) ? value : 0;
}
