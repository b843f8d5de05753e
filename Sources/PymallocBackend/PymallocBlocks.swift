//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What any pymalloc heap's arena map says of a pointer, without a heap value: for a caller that must not enter a
/// heap (the process allocator, called again from inside one of its own calls). Non-generic, so that calling them
/// needs no type metadata.
package enum PymallocBlocks {
  /// Whether `pointer` lies in an arena of some pymalloc heap of the process.
  @inlinable
  package static func isPymallocBlock(_ pointer: UnsafeRawPointer) -> Bool {
    _ArenaMap.owner(of: pointer) != 0
  }

  /// The block size of the pool block at `pointer`, which ``isPymallocBlock(_:)`` said is one.
  @inlinable
  package static func blockSize(of pointer: UnsafeRawPointer) -> Int {
    _Pool.containing(pointer)._blockSize
  }
}
