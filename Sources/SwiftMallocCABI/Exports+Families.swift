//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

// The family functions of swiftmalloc.h: each calls its family's entry in the process heap, which takes the process
// lock only where that family's allocator needs it (see `ProcessHeap`). size_t arrives as Int: sizes above Int.max
// are negative here and refused by AllocationLimits, except in a calloc whose other argument is 0 (see
// `_FamilyEntries.calloc`).

@_cdecl("sm_raw_malloc")
public func sm_raw_malloc(_ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.raw.allocate($0.raw.allocator, size) }
}

@_cdecl("sm_raw_calloc")
public func sm_raw_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.raw.calloc($0.raw.allocator, count, size) }
}

@_cdecl("sm_raw_realloc")
public func sm_raw_realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.raw.reallocate($0.raw.allocator, pointer, size) }
}

@_cdecl("sm_raw_free")
public func sm_raw_free(_ pointer: UnsafeMutableRawPointer?) {
  ProcessHeap.withHeap { $0.raw.deallocate($0.raw.allocator, pointer) }
}

@_cdecl("sm_mem_malloc")
public func sm_mem_malloc(_ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.mem.allocate($0.mem.allocator, size) }
}

@_cdecl("sm_mem_calloc")
public func sm_mem_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.mem.calloc($0.mem.allocator, count, size) }
}

@_cdecl("sm_mem_realloc")
public func sm_mem_realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.mem.reallocate($0.mem.allocator, pointer, size) }
}

@_cdecl("sm_mem_free")
public func sm_mem_free(_ pointer: UnsafeMutableRawPointer?) {
  ProcessHeap.withHeap { $0.mem.deallocate($0.mem.allocator, pointer) }
}

@_cdecl("sm_object_malloc")
public func sm_object_malloc(_ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.object.allocate($0.object.allocator, size) }
}

@_cdecl("sm_object_calloc")
public func sm_object_calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.object.calloc($0.object.allocator, count, size) }
}

@_cdecl("sm_object_realloc")
public func sm_object_realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
  ProcessHeap.withHeap { $0.object.reallocate($0.object.allocator, pointer, size) }
}

@_cdecl("sm_object_free")
public func sm_object_free(_ pointer: UnsafeMutableRawPointer?) {
  ProcessHeap.withHeap { $0.object.deallocate($0.object.allocator, pointer) }
}
