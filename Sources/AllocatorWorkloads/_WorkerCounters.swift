//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What one worker thread of a threaded workload reports, written by that thread alone and read after the join.
/// Padded to 64 bytes, one cache line, so that workers' counters never share a line.
@usableFromInline
internal struct _WorkerCounters {
  /// Allocations and frees the worker made.
  @usableFromInline
  internal var operations = 0
  /// Frees of blocks another thread allocated (counted when checking).
  @usableFromInline
  internal var crossThreadFrees = 0
  /// Blocks whose pattern was damaged when the worker came to free them (counted when checking).
  @usableFromInline
  internal var damagedBlocks = 0
  internal var _padding: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)

  @usableFromInline
  internal init() {}

  /// Room for `count` workers' counters, each on a cache line of its own, all zero.
  @usableFromInline
  internal static func allocate(count: Int) -> UnsafeMutablePointer<_WorkerCounters> {
    let memory = UnsafeMutableRawPointer.allocate(
      byteCount: count * MemoryLayout<_WorkerCounters>.stride, alignment: 64)
    let counters = memory.bindMemory(to: _WorkerCounters.self, capacity: count)
    counters.initialize(repeating: _WorkerCounters(), count: count)
    return counters
  }
}
