//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SwiftMallocRegistry

/// What the C ABI calls on a heap, whatever its concrete allocator set.
///
/// The operations are closures made inside the generic initializer, which the registry's inlinable chain
/// specializes for the concrete set: each call is one indirect call into code where the backend's fast path is
/// inlined. (A generic class would not do: its vtable entries are the unspecialized bodies.)
final class _HeapOperations {
  let configurationName: String
  let debugContext: DebugContext?
  let allocate: (Family, Int) -> UnsafeMutableRawPointer?
  let allocateZeroed: (Family, Int, Int) -> UnsafeMutableRawPointer?
  let reallocate: (Family, UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer?
  let deallocate: (Family, UnsafeMutableRawPointer?) -> Void
  let statisticsReport: () -> String
  let objectStatistics: () -> AllocatorStatistics
  let destroy: () -> Void

  init<Set: AllocatorSet>(_ set: Set) {
    configurationName = set.configuration.name
    debugContext = set.debugContext
    allocate = { family, byteCount in
      switch family {
      case .raw: set.raw.allocate(byteCount: byteCount)
      case .mem: set.mem.allocate(byteCount: byteCount)
      case .object: set.object.allocate(byteCount: byteCount)
      }
    }
    allocateZeroed = { family, count, stride in
      switch family {
      case .raw: set.raw.allocateZeroed(count: count, stride: stride)
      case .mem: set.mem.allocateZeroed(count: count, stride: stride)
      case .object: set.object.allocateZeroed(count: count, stride: stride)
      }
    }
    reallocate = { family, pointer, byteCount in
      switch family {
      case .raw: set.raw.reallocate(pointer, byteCount: byteCount)
      case .mem: set.mem.reallocate(pointer, byteCount: byteCount)
      case .object: set.object.reallocate(pointer, byteCount: byteCount)
      }
    }
    deallocate = { family, pointer in
      switch family {
      case .raw: set.raw.deallocate(pointer)
      case .mem: set.mem.deallocate(pointer)
      case .object: set.object.deallocate(pointer)
      }
    }
    statisticsReport = { set.object.statisticsReport() }
    objectStatistics = { set.object.statistics() }
    destroy = { set.destroy() }
  }
}

extension _HeapOperations {
  /// C's `calloc(nelem, elsize)` on `family`, each `size_t` as the `Int` with its bits: a zero product is a
  /// zero-byte block whatever the other argument (`calloc(0, SIZE_MAX)` is valid C); otherwise a `size_t` above
  /// `Int.max`, negative here, is refused with every other bad size by `AllocationLimits`.
  func calloc(_ family: Family, _ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    count == 0 || size == 0 ? allocateZeroed(family, 0, 1) : allocateZeroed(family, count, size)
  }
}

/// Builds the operations for whatever set a configuration makes.
struct _MakeHeap: AllocatorSetBody {
  func run<Set: AllocatorSet>(_ set: Set) -> _HeapOperations { _HeapOperations(set) }
}
