//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CTcmallocShim

/// The `tcmalloc` benchmark reference: gperftools' tcmalloc 2.x (`tc_malloc`, `tc_free`, …) from
/// libtcmalloc_minimal.so.4, loaded at run time with `RTLD_LOCAL` so that it does not become the process `malloc`.
///
/// Like the `cpython` reference it is never a family of a configuration: `swiftmalloc bench` and `replay` run it
/// beside the backends when the library loads (``unavailability`` says why not otherwise). It serves the whole
/// process's tcmalloc heap, so its statistics are tcmalloc's process-wide figures. Requests below 16 bytes are
/// rounded up to 16 (tcmalloc's 8-byte class is only 8-aligned; every larger class is a multiple of 16).
@frozen
public struct TcmallocAllocator: Allocator, Sendable {
  /// The reference on tcmalloc's heap.
  ///
  /// - Precondition: ``unavailability`` is `nil`.
  public init() {
    if let reason = Self.unavailability { preconditionFailure("tcmalloc is unavailable: \(reason)") }
  }

  /// Why tcmalloc cannot be loaded in this process, or `nil` when it is loaded.
  public static var unavailability: String? {
    sm_tc_load().map { String(cString: $0) }
  }

  /// The size asked of tcmalloc for a request: at least 16 bytes, for 16-byte alignment.
  @inlinable
  @inline(__always)
  internal static func _tcmallocSize(_ byteCount: Int) -> Int {
    max(byteCount, AllocationLimits.minimumAlignment)
  }

  /// `"tcmalloc"`.
  public var name: String { "tcmalloc" }

  /// tcmalloc's thread caches are its own: any thread may call.
  public var isThreadSafe: Bool { true }

  @inlinable
  public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    return sm_tc_malloc(Self._tcmallocSize(byteCount))
  }

  @inlinable
  public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    guard let byteCount = AllocationLimits.zeroedByteCount(count: count, stride: stride) else { return nil }
    return sm_tc_calloc(Self._tcmallocSize(byteCount), 1)
  }

  @inlinable
  public func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount) else { return nil }
    return sm_tc_realloc(pointer, Self._tcmallocSize(byteCount))
  }

  @inlinable
  public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    sm_tc_free(pointer)
  }

  @inlinable
  public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isSatisfiable(byteCount), AllocationLimits.isValidAlignment(alignment) else { return nil }
    return sm_tc_memalign(max(alignment, AllocationLimits.minimumAlignment), Self._tcmallocSize(byteCount))
  }

  @inlinable
  public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    sm_tc_malloc_size(pointer)
  }

  /// tcmalloc's process-wide `MallocExtension` figures: bytes in use by the application and the heap's size, with
  /// the page heap's free and unmapped bytes in the extras. tcmalloc does not count blocks.
  public func statistics() -> AllocatorStatistics {
    var extras: [String: Int] = [:]
    for property in ["tcmalloc.pageheap_free_bytes", "tcmalloc.pageheap_unmapped_bytes"] {
      extras[property] = sm_tc_property(property)
    }
    return AllocatorStatistics(
      backend: name, liveBlocks: nil, allocatedBytes: sm_tc_property("generic.current_allocated_bytes"),
      liveRequestedBytes: nil, mappedBytes: sm_tc_property("generic.heap_size"), residentBytes: nil, extras: extras)
  }

  /// tcmalloc's own report (`MallocExtension_GetStats`).
  public func statisticsReport() -> String {
    var buffer = [CChar](repeating: 0, count: 1 << 16)
    sm_tc_stats(&buffer, Int32(buffer.count))
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }
}
