//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The benchmark's touch: one byte written per block, as every single-threaded workload writes; nothing checked.
@usableFromInline
internal enum _ByteTouch: _BlockTouch {
  @inlinable
  @inline(__always)
  internal static func fill(_ block: UnsafeMutableRawPointer, size: Int, owner: Int) {
    block.storeBytes(of: 1, as: UInt8.self)
  }

  @inlinable
  @inline(__always)
  internal static func check(
    _ block: UnsafeMutableRawPointer, freer: Int, counters: UnsafeMutablePointer<_WorkerCounters>
  ) {}
}
