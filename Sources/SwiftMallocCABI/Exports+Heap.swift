//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc
import Foundation

// Independent, unlocked heaps: `sm_heap *` is an unmanaged `_HeapOperations`, retained once by `sm_heap_new` and
// released by `sm_heap_destroy`. In between, calls borrow it without reference counting: one indirect call into the
// object family's entry specialized for the heap's allocator. They serve the object family.

@_cdecl("sm_heap_new")
public func sm_heap_new(_ backend: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? {
  do {
    let configuration = try backend.map { try Registry.configuration(named: String(cString: $0)) }
      ?? Registry.select(flag: nil, environment: ProcessInfo.processInfo.environment).configuration
    return Unmanaged.passRetained(configuration.makeAllocatorSet(_MakeHeap(lockingProcess: false))).toOpaque()
  } catch {
    sm_set_last_error("sm_heap_new: \(error)")
    return nil
  }
}

/// Runs `body` on the heap behind a handle the host keeps alive (between `sm_heap_new` and `sm_heap_destroy`).
@inline(__always)
private func withHeap<Result>(_ handle: UnsafeMutableRawPointer, _ body: (_HeapOperations) -> Result) -> Result {
  Unmanaged<_HeapOperations>.fromOpaque(handle)._withUnsafeGuaranteedRef(body)
}

/// `sm_heap_claim`: the calling thread now holds the heap (`PyGILState_Ensure`'s counterpart); under a debug
/// backend, mem and object calls from any other thread are faults until it claims the heap in turn.
@_cdecl("sm_heap_claim")
public func sm_heap_claim(_ handle: UnsafeMutableRawPointer) {
  withHeap(handle) { $0.debugContext?.setHolderToCurrentThread() }
}

@_cdecl("sm_heap_malloc")
public func sm_heap_malloc(_ handle: UnsafeMutableRawPointer, _ size: Int) -> UnsafeMutableRawPointer? {
  withHeap(handle) { $0.object.allocate($0.object.allocator, size) }
}

@_cdecl("sm_heap_calloc")
public func sm_heap_calloc(_ handle: UnsafeMutableRawPointer, _ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  withHeap(handle) { $0.object.calloc($0.object.allocator, count, size) }
}

@_cdecl("sm_heap_realloc")
public func sm_heap_realloc(
  _ handle: UnsafeMutableRawPointer, _ pointer: UnsafeMutableRawPointer?, _ size: Int
) -> UnsafeMutableRawPointer? {
  withHeap(handle) { $0.object.reallocate($0.object.allocator, pointer, size) }
}

@_cdecl("sm_heap_free")
public func sm_heap_free(_ handle: UnsafeMutableRawPointer, _ pointer: UnsafeMutableRawPointer?) {
  withHeap(handle) { $0.object.deallocate($0.object.allocator, pointer) }
}

@_cdecl("sm_heap_print_stats")
public func sm_heap_print_stats(_ handle: UnsafeMutableRawPointer, _ fd: Int32) {
  FileDescriptorOutput(descriptor: fd).write(withHeap(handle) { $0.statisticsReport() })
}

@_cdecl("sm_heap_destroy")
public func sm_heap_destroy(_ handle: UnsafeMutableRawPointer?) {
  guard let handle else { return }
  Unmanaged<_HeapOperations>.fromOpaque(handle).takeRetainedValue().destroy()
}
