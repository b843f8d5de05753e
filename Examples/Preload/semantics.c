// glibc's rules for each allocation function, printed as facts that do not depend on the allocator: the script
// runs this under glibc and preloaded and compares the two outputs line by line.
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FACT(name, condition) printf("%-58s %s\n", name, (condition) ? "yes" : "no")

static int aligned_to(const void *pointer, size_t alignment) { return ((uintptr_t)pointer % alignment) == 0; }

static int all_zero(const unsigned char *bytes, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (bytes[i] != 0) return 0;
  return 1;
}

int main(void) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  volatile size_t huge = SIZE_MAX, half = SIZE_MAX / 2;  // volatile: the compiler must not reject the calls

  void *a = malloc(0), *b = malloc(0);
  FACT("malloc(0) gives distinct non-NULL blocks", a != NULL && b != NULL && a != b);
  free(a);
  free(b);
  for (size_t size = 1; size <= 4096; size = size * 3 + 1) {
    unsigned char *block = malloc(size);
    memset(block, 0xAB, size);
    if (!aligned_to(block, 16) || malloc_usable_size(block) < size) FACT("malloc: 16-aligned, usable >= size", 0);
    free(block);
  }
  FACT("malloc: 16-aligned, usable >= size for 1..4096", 1);
  errno = 0;
  FACT("malloc(SIZE_MAX) is NULL with ENOMEM", malloc(huge) == NULL && errno == ENOMEM);
  FACT("malloc_usable_size(NULL) is 0", malloc_usable_size(NULL) == 0);
  free(NULL);
  FACT("free(NULL) returns", 1);

  unsigned char *zeroed = calloc(100, 7);
  FACT("calloc(100, 7) is zeroed", zeroed != NULL && all_zero(zeroed, 700));
  free(zeroed);
  zeroed = calloc(1, 100000);
  FACT("calloc(1, 100000) is zeroed", zeroed != NULL && all_zero(zeroed, 100000));
  free(zeroed);
  errno = 0;
  FACT("calloc(SIZE_MAX / 2, 3) overflows: NULL with ENOMEM", calloc(half, 3) == NULL && errno == ENOMEM);
  void *empty = calloc(0, 8);
  FACT("calloc(0, 8) is non-NULL", empty != NULL);
  free(empty);

  char *grown = realloc(NULL, 10);
  FACT("realloc(NULL, 10) allocates", grown != NULL);
  strcpy(grown, "preserved");
  for (size_t size = 16; size <= 1 << 20; size *= 4) {
    grown = realloc(grown, size);
    if (grown == NULL || strcmp(grown, "preserved") != 0) FACT("realloc keeps the contents", 0);
  }
  grown = realloc(grown, 12);
  FACT("realloc keeps the contents, growing and shrinking", grown != NULL && strcmp(grown, "preserved") == 0);
  errno = 0;
  char *same = realloc(grown, huge);
  FACT("realloc(p, SIZE_MAX) is NULL with ENOMEM, p kept", same == NULL && errno == ENOMEM && !strcmp(grown, "preserved"));
  FACT("realloc(p, 0) of a large block frees and returns NULL", realloc(grown, 0) == NULL);
  FACT("realloc(p, 0) of a small block frees and returns NULL", realloc(malloc(24), 0) == NULL);

  void *array = reallocarray(NULL, 10, 10);
  FACT("reallocarray(NULL, 10, 10) allocates", array != NULL && malloc_usable_size(array) >= 100);
  errno = 0;
  void *kept = reallocarray(array, half, 3);
  FACT("reallocarray overflow is NULL with ENOMEM, p kept", kept == NULL && errno == ENOMEM);
  free(array);

  void *untouched = (void *)0x1234;
  FACT("posix_memalign(3) is EINVAL, *memptr untouched",
       posix_memalign(&untouched, 3, 8) == EINVAL && untouched == (void *)0x1234);
  FACT("posix_memalign(4) is EINVAL (not a multiple of void *)", posix_memalign(&untouched, 4, 8) == EINVAL);
  FACT("posix_memalign(24) is EINVAL (not a power of two)", posix_memalign(&untouched, 24, 8) == EINVAL);
  for (size_t alignment = 8; alignment <= 65536; alignment *= 2) {
    void *block = NULL;
    if (posix_memalign(&block, alignment, 100) != 0 || !aligned_to(block, alignment)) FACT("posix_memalign", 0);
    free(block);
  }
  FACT("posix_memalign aligns 8..65536", 1);
  FACT("posix_memalign(64, SIZE_MAX) is ENOMEM", posix_memalign(&untouched, 64, huge) == ENOMEM);

  void *rounded = memalign(24, 10);
  FACT("memalign(24) rounds up to 32", rounded != NULL && aligned_to(rounded, 32));
  free(rounded);
  void *aligned = aligned_alloc(64, 128);
  FACT("aligned_alloc(64, 128) is 64-aligned", aligned != NULL && aligned_to(aligned, 64));
  free(aligned);
  aligned = aligned_alloc(16, 5);
  FACT("aligned_alloc(16, 5) is 16-aligned", aligned != NULL && aligned_to(aligned, 16));
  free(aligned);

  void *paged = valloc(100);
  FACT("valloc(100) is page-aligned", paged != NULL && aligned_to(paged, page));
  free(paged);
  paged = pvalloc(100);
  FACT("pvalloc(100) is page-aligned with a page usable",
       paged != NULL && aligned_to(paged, page) && malloc_usable_size(paged) >= page);
  free(paged);
  errno = 0;
  FACT("pvalloc(SIZE_MAX) is NULL with ENOMEM", pvalloc(huge) == NULL && errno == ENOMEM);
  return 0;
}
