//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// Routes a call to the allocator of a family, specialized for each of the set's three allocator types.
enum _FamilyCall {
  static func allocate<Set: AllocatorSet>(
    _ kind: FuzzOperation.Kind, family: Family, in set: Set
  ) -> UnsafeMutableRawPointer? {
    switch family {
    case .raw: allocate(kind, on: set.raw)
    case .mem: allocate(kind, on: set.mem)
    case .object: allocate(kind, on: set.object)
    }
  }

  static func reallocate<Set: AllocatorSet>(
    _ pointer: UnsafeMutableRawPointer, size: Int, family: Family, in set: Set
  ) -> UnsafeMutableRawPointer? {
    switch family {
    case .raw: set.raw.reallocate(pointer, byteCount: size)
    case .mem: set.mem.reallocate(pointer, byteCount: size)
    case .object: set.object.reallocate(pointer, byteCount: size)
    }
  }

  static func deallocate<Set: AllocatorSet>(_ pointer: UnsafeMutableRawPointer?, family: Family, in set: Set) {
    switch family {
    case .raw: set.raw.deallocate(pointer)
    case .mem: set.mem.deallocate(pointer)
    case .object: set.object.deallocate(pointer)
    }
  }

  static func usableSize<Set: AllocatorSet>(_ pointer: UnsafeMutableRawPointer, family: Family, in set: Set) -> Int {
    switch family {
    case .raw: set.raw.usableSize(of: pointer)
    case .mem: set.mem.usableSize(of: pointer)
    case .object: set.object.usableSize(of: pointer)
    }
  }

  private static func allocate<A: Allocator>(_ kind: FuzzOperation.Kind, on allocator: A) -> UnsafeMutableRawPointer? {
    switch kind {
    case .allocate(let size): allocator.allocate(byteCount: size)
    case .allocateZeroed(let count, let stride): allocator.allocateZeroed(count: count, stride: stride)
    case .allocateAligned(let size, let alignment): allocator.allocate(byteCount: size, alignment: alignment)
    case .reallocate(let size): allocator.reallocate(nil, byteCount: size)
    case .free: nil
    }
  }
}
