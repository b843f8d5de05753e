// CPython's rule that memory from one family must not be freed by another, for C and C++: malloc/free, new/delete,
// new[]/delete[]. Preloaded on a `_debug` backend of libswiftmalloc-preload.so, each subcommand commits one fault
// and the process allocator prints CPython's dump and aborts:
//
//   SWIFTMALLOC=pymalloc_debug LD_PRELOAD=.build/release/libswiftmalloc-preload.so families new-free
//
// Without a fault name it uses every family correctly and prints "families: ok".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Keeps the compiler from pairing or removing the calls below (it may elide a new and its delete).
void *volatile sink;

struct Fault {
  const char *name;
  const char *what;
  void (*commit)();
};

const Fault faults[] = {
    {"new-free", "a block from new, freed with free", [] {
       int *number = new int(7);
       sink = number;
       free(sink);
     }},
    {"malloc-delete", "a block from malloc, freed with delete", [] {
       sink = malloc(sizeof(int));
       delete static_cast<int *>(sink);
     }},
    {"array-delete", "a block from new[], freed with delete", [] {
       char *text = new char[24];
       sink = text;
       delete static_cast<char *>(sink);
     }},
    {"new-delete-array", "a block from new, freed with delete[]", [] {
       long *number = new long(7);
       sink = number;
       delete[] static_cast<long *>(sink);
     }},
    {"overflow", "one byte written past a new[] block", [] {
       char *text = new char[10];
       sink = text;
       memset(sink, 'x', 11);
       delete[] text;
     }},
    {"underflow", "one byte written before a malloc block", [] {
       char *text = static_cast<char *>(malloc(10));
       sink = text;
       static_cast<char *>(sink)[-1] = 'x';
       free(text);
     }},
    {"double-free", "a new block deleted twice", [] {
       int *number = new int(7);
       sink = number;
       delete static_cast<int *>(sink);
       delete static_cast<int *>(sink);
     }},
    {"write-after-free", "a freed block written to, found when it leaves the quarantine", [] {
       char *text = static_cast<char *>(malloc(32));
       sink = text;
       free(text);
       static_cast<char *>(sink)[4] = 'x';
       for (int i = 0; i < 8; i++) free(malloc(32));  // pushes the block out of the 8-block quarantine
     }},
    {"foreign", "a pointer the allocator never returned, freed", [] {
       static char buffer[64];
       sink = buffer + 16;
       free(sink);
     }},
};

// Every family used as it should be, every operator form included.
void useCorrectly() {
  void *block = malloc(100);
  block = realloc(block, 1000);
  free(block);
  int *number = new int(1);
  delete number;
  char *array = new char[300];
  delete[] array;
  std::string text(2000, 'y');
  text += "z";
  auto *aligned = new (std::align_val_t(64)) double[4];
  ::operator delete[](aligned, std::align_val_t(64));
  std::puts("families: ok");
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    useCorrectly();
    return 0;
  }
  for (const Fault &fault : faults) {
    if (strcmp(argv[1], fault.name) != 0) continue;
    std::fprintf(stderr, "families %s: %s\n", fault.name, fault.what);
    fault.commit();
    std::puts("families: the fault was not detected");
    return 1;
  }
  std::fprintf(stderr, "families: unknown fault '%s'; faults:", argv[1]);
  for (const Fault &fault : faults) std::fprintf(stderr, " %s", fault.name);
  std::fprintf(stderr, "\n");
  return 2;
}
