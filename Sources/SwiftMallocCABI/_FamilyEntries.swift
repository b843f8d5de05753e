//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc

/// One family's entry points, specialized once for its concrete allocator, which lives at `allocator`.
///
/// Each entry is a function of the allocator's address that captures nothing: built inside a generic initializer
/// that the registry's inlinable chain specializes, it is the backend's fast path inlined into one function, and a
/// call through it is one indirect call with no context to retain and no switch on the family or the backend.
struct _FamilyEntries {
  typealias Allocate = (UnsafeMutableRawPointer, Int) -> UnsafeMutableRawPointer?
  typealias AllocateZeroed = (UnsafeMutableRawPointer, Int, Int) -> UnsafeMutableRawPointer?
  typealias Reallocate = (UnsafeMutableRawPointer, UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer?
  typealias Deallocate = (UnsafeMutableRawPointer, UnsafeMutableRawPointer?) -> Void

  /// The family's allocator (a copy of the set's), for the lifetime of the heap.
  let allocator: UnsafeMutableRawPointer
  let allocate: Allocate
  /// C's `calloc(nelem, elsize)`, each `size_t` as the `Int` with its bits: a zero product is a zero-byte block
  /// whatever the other argument (`calloc(0, SIZE_MAX)` is valid C); otherwise a `size_t` above `Int.max`, negative
  /// here, is refused with every other bad size by `AllocationLimits`.
  let calloc: AllocateZeroed
  let reallocate: Reallocate
  let deallocate: Deallocate
  /// Releases `allocator`'s storage (not the heap behind it: the set's `destroy` does that).
  let release: () -> Void

  /// Entries straight into `allocator`, for callers that need no lock around it.
  init<Family: Allocator>(direct allocator: Family) {
    self.allocator = _FamilyEntries.store(allocator)
    allocate = { state, size in state.assumingMemoryBound(to: Family.self).pointee.allocate(byteCount: size) }
    calloc = { state, count, size in
      let family = state.assumingMemoryBound(to: Family.self)
      return count == 0 || size == 0
        ? family.pointee.allocateZeroed(count: 0, stride: 1) : family.pointee.allocateZeroed(count: count, stride: size)
    }
    reallocate = { state, pointer, size in
      state.assumingMemoryBound(to: Family.self).pointee.reallocate(pointer, byteCount: size)
    }
    deallocate = { state, pointer in state.assumingMemoryBound(to: Family.self).pointee.deallocate(pointer) }
    release = _FamilyEntries.releaser(Family.self, self.allocator)
  }

  /// Entries that run `direct`'s under the process lock, the calling thread holding the debug hooks' heap meanwhile:
  /// for a family whose allocator threads may not share without it.
  init(lockingProcessAround direct: _FamilyEntries, debugContext: DebugContext?) {
    allocator = direct.allocator
    let (allocate, calloc, reallocate, deallocate) = (direct.allocate, direct.calloc, direct.reallocate, direct.deallocate)
    self.allocate = { state, size in _ProcessLock.run(debugContext) { allocate(state, size) } }
    self.calloc = { state, count, size in _ProcessLock.run(debugContext) { calloc(state, count, size) } }
    self.reallocate = { state, pointer, size in _ProcessLock.run(debugContext) { reallocate(state, pointer, size) } }
    self.deallocate = { state, pointer in _ProcessLock.run(debugContext) { deallocate(state, pointer) } }
    release = direct.release
  }

  /// Whether the process heap must take its lock around `allocator`: a family that needs a heap holder does unless
  /// the allocator is built for free threading; the raw family does only if its allocator is not thread-safe.
  static func needsProcessLock<Family: Allocator>(_ allocator: Family, family: AllocatorCore.Family) -> Bool {
    family.requiresHeapOwner ? !allocator.isFreeThreaded : !allocator.isThreadSafe
  }

  private static func store<Family: Allocator>(_ allocator: Family) -> UnsafeMutableRawPointer {
    let storage = UnsafeMutablePointer<Family>.allocate(capacity: 1)
    storage.initialize(to: allocator)
    return UnsafeMutableRawPointer(storage)
  }

  private static func releaser<Family: Allocator>(
    _: Family.Type, _ storage: UnsafeMutableRawPointer
  ) -> () -> Void {
    {
      let typed = storage.assumingMemoryBound(to: Family.self)
      typed.deinitialize(count: 1)
      typed.deallocate()
    }
  }
}
