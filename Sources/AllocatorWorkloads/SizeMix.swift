//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// xorshift64 with the benchmark spec's seed: the same sequence on every machine and in every language.
public struct XorShift64: Sendable {
  /// The spec's seed.
  public static let specSeed: UInt64 = 88_172_645_463_325_252

  /// The generator's state.
  public private(set) var state: UInt64

  /// A generator at `seed` (the spec's by default).
  public init(seed: UInt64 = XorShift64.specSeed) { state = seed }

  /// The next value: `x ^= x << 13; x ^= x >> 7; x ^= x << 17`.
  public mutating func next() -> UInt64 {
    var x = state
    x ^= x << 13
    x ^= x >> 7
    x ^= x << 17
    state = x
    return x
  }
}

/// The CPython-like request sizes of the benchmark spec, drawn once before timing.
///
/// | share | size |
/// |---|---|
/// | 10 % | 16 |
/// | 30 % | 32 |
/// | 20 % | 48 |
/// | 20 % | 64 |
/// | 10 % | 65 + r mod 64 |
/// | 10 % | 129 + r mod 384 |
public enum SizeMix {
  /// `count` sizes from a generator at `seed`.
  public static func sizes(count: Int, seed: UInt64 = XorShift64.specSeed) -> [Int] {
    var generator = XorShift64(seed: seed)
    return (0..<max(0, count)).map { _ in size(&generator) }
  }

  /// One draw: the share picks the bucket, then buckets with a range draw `r` once more.
  public static func size(_ generator: inout XorShift64) -> Int {
    switch generator.next() % 100 {
    case 0..<10: 16
    case 10..<40: 32
    case 40..<60: 48
    case 60..<80: 64
    case 80..<90: 65 + Int(generator.next() % 64)
    default: 129 + Int(generator.next() % 384)
    }
  }
}
