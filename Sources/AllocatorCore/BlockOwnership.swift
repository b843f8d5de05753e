//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What an allocator knows about a pointer, answered without reading memory it does not own.
public enum BlockOwnership: Sendable, Hashable {
  /// The allocator cannot tell (glibc, jemalloc).
  case unknown
  /// The pointer lies outside every region the allocator manages.
  case foreign
  /// The pointer is the start of a block the allocator manages.
  case blockStart
  /// The pointer lies inside a managed region but not at the start of a block.
  case interior
  /// The pointer lies in memory another heap of the same kind manages: `owner` names that heap and `heap` this one
  /// (`pymalloc heap #1`), as the report prints them.
  case anotherHeap(owner: String, heap: String)
}
