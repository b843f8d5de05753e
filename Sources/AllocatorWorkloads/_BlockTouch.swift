//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What a threaded workload writes into each block it allocates and checks before the block's free, as a type so
/// that the worker loops are specialized for it: the benchmark's one byte (``_ByteTouch``), or the tests' full
/// pattern with the allocating thread's number (``_PatternTouch``).
@usableFromInline
internal protocol _BlockTouch {
  /// Writes a fresh block of `size` bytes (at least 16) allocated by worker `owner`.
  static func fill(_ block: UnsafeMutableRawPointer, size: Int, owner: Int)

  /// Checks a block worker `freer` is about to free, counting what it finds in `counters`.
  static func check(_ block: UnsafeMutableRawPointer, freer: Int, counters: UnsafeMutablePointer<_WorkerCounters>)
}
