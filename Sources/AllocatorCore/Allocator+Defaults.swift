//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension Allocator {
  /// Backends without a sized fast path free as usual.
  @inlinable
  public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
    deallocate(pointer)
  }

  /// Only an allocator built for free threading says otherwise.
  @inlinable
  public var isFreeThreaded: Bool { false }

  /// Backends that cannot classify pointers say so.
  @inlinable
  public func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership {
    .unknown
  }
}

extension Allocator {
  /// Renders ``statistics()`` as `label = value` lines in the column layout of CPython's report.
  public func statisticsReport() -> String {
    statistics().reportText()
  }
}
