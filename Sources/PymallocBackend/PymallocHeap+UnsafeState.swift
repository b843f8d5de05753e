//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The handle kept as one C pointer: the process allocator stores its heap in a C static, since a Swift global
/// would be lazily initialised from inside the first `malloc`.
extension PymallocHeap {
  /// The heap's state, opaque; ``init(_unsafeState:raw:)`` makes an equal handle from it.
  package var _unsafeState: UnsafeMutableRawPointer { UnsafeMutableRawPointer(_state) }

  /// A handle on the heap whose ``_unsafeState`` is `state`, with the same raw allocator.
  @inlinable
  @inline(__always)
  package init(_unsafeState state: UnsafeMutableRawPointer, raw: Raw) {
    self.init(_state: state.assumingMemoryBound(to: _HeapState.self), raw: raw)
  }
}
