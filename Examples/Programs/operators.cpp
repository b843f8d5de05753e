// Every form of C++ operator new and delete — plain, array, nothrow, sized, aligned and their combinations — each
// result checked (non-null, aligned, writable over its whole size, intact until freed), plus std containers and
// strings on top. Prints one line per form and "operators: ok"; any failed check exits 1 with the form named.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool condition, const char *form, std::size_t size) {
  if (!condition) {
    std::printf("FAILED: %s (%zu bytes)\n", form, size);
    failures++;
  }
}

// Fills the block with a pattern derived from its size, then checks the pattern: the block is writable and
// no other allocation overlaps it while it lives.
void fillAndCheck(void *block, std::size_t size, std::size_t alignment, const char *form) {
  check(block != nullptr, form, size);
  if (block == nullptr) return;
  check(reinterpret_cast<std::uintptr_t>(block) % alignment == 0, form, size);
  std::memset(block, static_cast<int>(size & 0xff), size);
  const unsigned char *bytes = static_cast<const unsigned char *>(block);
  for (std::size_t i = 0; i < size; i++) {
    if (bytes[i] != (size & 0xff)) { check(false, form, size); return; }
  }
}

// The alignment C++ promises for a plain new of `size` bytes: the default new alignment, or less for a block
// too small to hold an object that needs it (the largest power of two not above the size).
std::size_t fundamentalAlignment(std::size_t size) {
  std::size_t alignment = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  while (alignment > size) alignment /= 2;
  return alignment;
}

const std::size_t sizes[] = {1, 8, 16, 24, 100, 512, 513, 4096, 65536, 1 << 20};
const std::align_val_t alignments[] = {std::align_val_t(16), std::align_val_t(64), std::align_val_t(256),
                                       std::align_val_t(4096)};

void plainForms() {
  for (std::size_t size : sizes) {
    void *a = ::operator new(size);
    fillAndCheck(a, size, fundamentalAlignment(size), "new");
    void *b = ::operator new[](size);
    fillAndCheck(b, size, fundamentalAlignment(size), "new[]");
    void *c = ::operator new(size, std::nothrow);
    fillAndCheck(c, size, fundamentalAlignment(size), "new nothrow");
    void *d = ::operator new[](size, std::nothrow);
    fillAndCheck(d, size, fundamentalAlignment(size), "new[] nothrow");
    ::operator delete(a);
    ::operator delete[](b, size);
    ::operator delete(c, std::nothrow);
    ::operator delete[](d, std::nothrow);
    void *e = ::operator new(size);
    fillAndCheck(e, size, fundamentalAlignment(size), "new, sized delete");
    ::operator delete(e, size);
  }
  std::printf("plain, array, nothrow and sized forms: ok\n");
}

void alignedForms() {
  for (std::align_val_t alignment : alignments) {
    std::size_t align = static_cast<std::size_t>(alignment);
    for (std::size_t size : sizes) {
      void *a = ::operator new(size, alignment);
      fillAndCheck(a, size, align, "new aligned");
      void *b = ::operator new[](size, alignment);
      fillAndCheck(b, size, align, "new[] aligned");
      void *c = ::operator new(size, alignment, std::nothrow);
      fillAndCheck(c, size, align, "new aligned nothrow");
      void *d = ::operator new[](size, alignment, std::nothrow);
      fillAndCheck(d, size, align, "new[] aligned nothrow");
      ::operator delete(a, size, alignment);
      ::operator delete[](b, size, alignment);
      ::operator delete(c, alignment, std::nothrow);
      ::operator delete[](d, alignment, std::nothrow);
      void *e = ::operator new(size, alignment);
      ::operator delete(e, alignment);
      void *f = ::operator new[](size, alignment);
      ::operator delete[](f, alignment);
    }
  }
  std::printf("aligned forms (16 to 4096 bytes): ok\n");
}

void failingForms() {
  const std::size_t impossible = SIZE_MAX / 2;
  check(::operator new(impossible, std::nothrow) == nullptr, "new nothrow of an impossible size", impossible);
  check(::operator new[](impossible, std::nothrow) == nullptr, "new[] nothrow of an impossible size", impossible);
  bool threw = false;
  try {
    void *block = ::operator new(impossible);
    ::operator delete(block);
  } catch (const std::bad_alloc &) {
    threw = true;
  }
  check(threw, "new of an impossible size throws bad_alloc", impossible);
  std::printf("impossible sizes: nullptr from nothrow, bad_alloc from the others: ok\n");
}

struct alignas(128) Wide {
  char bytes[200];
};

void containers() {
  std::map<std::string, std::vector<int>> table;
  for (int i = 0; i < 20000; i++) {
    table["key-" + std::to_string(i % 1500)].push_back(i);
  }
  long sum = 0;
  for (const auto &entry : table) sum += static_cast<long>(entry.second.size()) + entry.first.size();
  std::vector<std::unique_ptr<Wide>> wide;
  for (int i = 0; i < 1000; i++) {
    wide.push_back(std::make_unique<Wide>());
    check(reinterpret_cast<std::uintptr_t>(wide.back().get()) % alignof(Wide) == 0, "new of an over-aligned type",
          sizeof(Wide));
  }
  auto array = std::make_unique<Wide[]>(17);
  check(reinterpret_cast<std::uintptr_t>(array.get()) % alignof(Wide) == 0, "new[] of an over-aligned type",
        sizeof(Wide) * 17);
  std::printf("containers: %zu keys, checksum %ld: ok\n", table.size(), sum);
}

}  // namespace

int main() {
  plainForms();
  alignedForms();
  failingForms();
  containers();
  if (failures != 0) {
    std::printf("operators: %d failed checks\n", failures);
    return 1;
  }
  std::printf("operators: ok\n");
  return 0;
}
