// The first allocation of this program happens in an ELF constructor, before main: it must already be the process
// allocator's. Prints the usable size of a 20-byte block (pymalloc's class gives 32, glibc 24), then frees it.
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *early;

__attribute__((constructor)) static void allocate_early(void) {
  early = malloc(20);
  if (early != NULL) strcpy(early, "constructor");
}

int main(void) {
  if (early == NULL || strcmp(early, "constructor") != 0) {
    puts("constructor: lost the early block");
    return 1;
  }
  printf("constructor: usable %zu\n", malloc_usable_size(early));
  free(early);
  return 0;
}
