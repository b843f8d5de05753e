// Every C++ operator form, printed as facts that do not depend on the allocator (compared under glibc and
// preloaded): throwing new throws std::bad_alloc after the new-handler, nothrow new returns nullptr, aligned
// forms align, each delete form frees.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

static void fact(const char *name, bool condition) { std::printf("%-58s %s\n", name, condition ? "yes" : "no"); }

static bool aligned_to(const void *pointer, std::size_t alignment) {
  return reinterpret_cast<std::uintptr_t>(pointer) % alignment == 0;
}

static int handler_calls;
static void give_up() {
  handler_calls++;
  std::set_new_handler(nullptr);
}

struct alignas(64) Wide {
  char bytes[64];
};

int main() {
  int *one = new int(7);
  delete one;
  int *many = new int[100]();
  fact("new int[100]() is zeroed", many[0] == 0 && many[99] == 0);
  delete[] many;
  char *sized = static_cast<char *>(::operator new(40));
  ::operator delete(sized, 40);
  sized = static_cast<char *>(::operator new[](40));
  ::operator delete[](sized, 40);
  fact("new/delete, new[]/delete[], sized deletes return", true);

  Wide *wide = new Wide;
  fact("new of an alignas(64) type is 64-aligned", aligned_to(wide, 64));
  delete wide;
  Wide *wides = new Wide[5];
  fact("new[] of an alignas(64) type is 64-aligned", aligned_to(wides, 64));
  delete[] wides;
  void *page = ::operator new(100, std::align_val_t(4096));
  fact("operator new(100, align 4096) is page-aligned", aligned_to(page, 4096));
  ::operator delete(page, 100, std::align_val_t(4096));
  page = ::operator new[](100, std::align_val_t(256), std::nothrow);
  fact("operator new[](align 256, nothrow) is 256-aligned", page != nullptr && aligned_to(page, 256));
  ::operator delete[](page, std::align_val_t(256), std::nothrow);

  const std::size_t huge = SIZE_MAX / 2;
  fact("new(nothrow) of SIZE_MAX / 2 is nullptr", ::operator new(huge, std::nothrow) == nullptr);
  fact("new[](nothrow) of SIZE_MAX / 2 is nullptr", ::operator new[](huge, std::nothrow) == nullptr);
  fact("aligned new(nothrow) of SIZE_MAX / 2 is nullptr",
       ::operator new(huge, std::align_val_t(64), std::nothrow) == nullptr);
  bool thrown = false;
  std::set_new_handler(give_up);
  try {
    void *never = ::operator new(huge);
    ::operator delete(never);
  } catch (const std::bad_alloc &) {
    thrown = true;
  }
  fact("new of SIZE_MAX / 2 calls the new-handler, then throws bad_alloc", thrown && handler_calls == 1);
  thrown = false;
  try {
    void *never = ::operator new[](huge, std::align_val_t(64));
    ::operator delete[](never, std::align_val_t(64));
  } catch (const std::bad_alloc &) {
    thrown = true;
  }
  fact("aligned new[] of SIZE_MAX / 2 throws bad_alloc", thrown);
  void *nothing = ::operator new(0);
  fact("operator new(0) is non-null", nothing != nullptr);
  ::operator delete(nothing, std::nothrow);
  return 0;
}
