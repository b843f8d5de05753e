//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

// The family functions of swiftmalloc.h: each takes the process lock, then calls the heap's allocator for its family.
// size_t arrives as Int: sizes above Int.max are negative here and refused by AllocationLimits, except in a calloc
// whose other argument is 0 (see `_HeapOperations.calloc`).

@_cdecl("sm_raw_malloc")
public func sm_raw_malloc(_ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.allocate(.raw, size) }
}

@_cdecl("sm_raw_calloc")
public func sm_raw_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.calloc(.raw, count, size) }
}

@_cdecl("sm_raw_realloc")
public func sm_raw_realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.reallocate(.raw, pointer, size) }
}

@_cdecl("sm_raw_free")
public func sm_raw_free(_ pointer: UnsafeMutableRawPointer?) {
  ProcessHeap.withLockedHeap { $0.deallocate(.raw, pointer) }
}

@_cdecl("sm_mem_malloc")
public func sm_mem_malloc(_ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.allocate(.mem, size) }
}

@_cdecl("sm_mem_calloc")
public func sm_mem_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.calloc(.mem, count, size) }
}

@_cdecl("sm_mem_realloc")
public func sm_mem_realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.reallocate(.mem, pointer, size) }
}

@_cdecl("sm_mem_free")
public func sm_mem_free(_ pointer: UnsafeMutableRawPointer?) {
  ProcessHeap.withLockedHeap { $0.deallocate(.mem, pointer) }
}

@_cdecl("sm_object_malloc")
public func sm_object_malloc(_ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.allocate(.object, size) }
}

@_cdecl("sm_object_calloc")
public func sm_object_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.calloc(.object, count, size) }
}

@_cdecl("sm_object_realloc")
public func sm_object_realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withLockedHeap { $0.reallocate(.object, pointer, size) }
}

@_cdecl("sm_object_free")
public func sm_object_free(_ pointer: UnsafeMutableRawPointer?) {
  ProcessHeap.withLockedHeap { $0.deallocate(.object, pointer) }
}
