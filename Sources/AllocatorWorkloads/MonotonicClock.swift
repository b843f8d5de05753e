//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#endif

/// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds.
public enum MonotonicClock {
  /// Now, in nanoseconds since an arbitrary start.
  @inlinable
  public static func nanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }
}
