//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The bounds every backend checks before touching its heap, so that bad sizes return `nil` instead of trapping.
public enum AllocationLimits {
  /// Every block is aligned to at least this many bytes.
  public static let minimumAlignment = 16

  /// The largest alignment ``Allocator/allocate(byteCount:alignment:)`` accepts (64 KiB).
  public static let maximumAlignment = 1 << 16

  /// The largest request any backend attempts: `Int.max / 2`. Larger and negative sizes return `nil`.
  public static let maximumByteCount = Int.max / 2

  /// Whether `byteCount` is a size any backend may attempt.
  @inlinable
  @inline(__always)
  public static func isSatisfiable(_ byteCount: Int) -> Bool {
    UInt(bitPattern: byteCount) <= UInt(maximumByteCount)
  }

  /// `count × stride`, or `nil` if either is negative, the product overflows, or it exceeds
  /// ``maximumByteCount``.
  @inlinable
  @inline(__always)
  public static func zeroedByteCount(count: Int, stride: Int) -> Int? {
    guard count >= 0, stride >= 0 else { return nil }
    let (product, overflow) = count.multipliedReportingOverflow(by: stride)
    guard !overflow, product <= maximumByteCount else { return nil }
    return product
  }

  /// Whether `alignment` is a power of two no larger than ``maximumAlignment``.
  @inlinable
  @inline(__always)
  public static func isValidAlignment(_ alignment: Int) -> Bool {
    alignment > 0 && alignment <= maximumAlignment && alignment & (alignment - 1) == 0
  }
}
