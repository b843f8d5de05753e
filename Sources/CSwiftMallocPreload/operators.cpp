// Every C++ operator new and delete, defined for the whole process so that each gives its blocks a family of its
// own: new/delete ('n'), new[]/delete[] ('a'), beside malloc/free ('m'). A throwing new that cannot allocate calls
// the new-handler until it can, and throws std::bad_alloc when there is none, as libstdc++'s does.
#include "CSwiftMallocPreload.h"

#include <cstddef>
#include <new>

namespace {

constexpr std::size_t default_alignment = 16;

void *allocate_or_throw(std::size_t size, std::size_t alignment, int family) {
  for (;;) {
    if (void *block = sm_preload_new(size, alignment, family)) return block;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void *allocate_or_null(std::size_t size, std::size_t alignment, int family) noexcept {
  try {
    return allocate_or_throw(size, alignment, family);
  } catch (...) {
    return nullptr;
  }
}

std::size_t alignment_of(std::align_val_t alignment) { return static_cast<std::size_t>(alignment); }

}  // namespace

// MARK: new / delete

void *operator new(std::size_t size) { return allocate_or_throw(size, default_alignment, SM_FAMILY_NEW); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
  return allocate_or_null(size, default_alignment, SM_FAMILY_NEW);
}
void *operator new(std::size_t size, std::align_val_t alignment) {
  return allocate_or_throw(size, alignment_of(alignment), SM_FAMILY_NEW);
}
void *operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t &) noexcept {
  return allocate_or_null(size, alignment_of(alignment), SM_FAMILY_NEW);
}

void operator delete(void *pointer) noexcept { sm_preload_delete(pointer, SM_FAMILY_NEW); }
void operator delete(void *pointer, std::size_t) noexcept { sm_preload_delete(pointer, SM_FAMILY_NEW); }
void operator delete(void *pointer, const std::nothrow_t &) noexcept {
  sm_preload_delete(pointer, SM_FAMILY_NEW);
}
void operator delete(void *pointer, std::align_val_t) noexcept { sm_preload_delete(pointer, SM_FAMILY_NEW); }
void operator delete(void *pointer, std::size_t, std::align_val_t) noexcept {
  sm_preload_delete(pointer, SM_FAMILY_NEW);
}
void operator delete(void *pointer, std::align_val_t, const std::nothrow_t &) noexcept {
  sm_preload_delete(pointer, SM_FAMILY_NEW);
}

// MARK: new[] / delete[]

void *operator new[](std::size_t size) { return allocate_or_throw(size, default_alignment, SM_FAMILY_NEW_ARRAY); }
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept {
  return allocate_or_null(size, default_alignment, SM_FAMILY_NEW_ARRAY);
}
void *operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate_or_throw(size, alignment_of(alignment), SM_FAMILY_NEW_ARRAY);
}
void *operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t &) noexcept {
  return allocate_or_null(size, alignment_of(alignment), SM_FAMILY_NEW_ARRAY);
}

void operator delete[](void *pointer) noexcept { sm_preload_delete(pointer, SM_FAMILY_NEW_ARRAY); }
void operator delete[](void *pointer, std::size_t) noexcept { sm_preload_delete(pointer, SM_FAMILY_NEW_ARRAY); }
void operator delete[](void *pointer, const std::nothrow_t &) noexcept {
  sm_preload_delete(pointer, SM_FAMILY_NEW_ARRAY);
}
void operator delete[](void *pointer, std::align_val_t) noexcept {
  sm_preload_delete(pointer, SM_FAMILY_NEW_ARRAY);
}
void operator delete[](void *pointer, std::size_t, std::align_val_t) noexcept {
  sm_preload_delete(pointer, SM_FAMILY_NEW_ARRAY);
}
void operator delete[](void *pointer, std::align_val_t, const std::nothrow_t &) noexcept {
  sm_preload_delete(pointer, SM_FAMILY_NEW_ARRAY);
}
