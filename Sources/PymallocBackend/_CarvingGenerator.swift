//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The random source of the random carving order (``PymallocOptions/carvesInRandomOrder``): SplitMix64, one word
/// of state in the heap state, seeded once per heap from `getrandom`.
///
/// Not a cryptographic generator: it makes a pool's block order unknown to a program that cannot read the heap
/// state, at a few instructions per block. It allocates nothing, as a process allocator's slow path must not.
@usableFromInline
internal struct _CarvingGenerator {
  /// SplitMix64's counter: advanced by the golden-ratio increment before each output.
  @usableFromInline
  internal var _state: UInt64

  /// A generator that starts from `seed`.
  internal init(seed: UInt64) {
    _state = seed
  }

  /// The next 64 random bits (SplitMix64's output function over the advanced counter).
  @inlinable
  @inline(__always)
  internal mutating func next() -> UInt64 {
    _state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = _state
    mixed = (mixed ^ (mixed &>> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed &>> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed &>> 31)
  }

  /// A random integer in `0 ... bound` (Lemire's multiply-shift over 32 random bits; for the bounds a pool has,
  /// at most 1021, the bias is below 2⁻²¹).
  @inlinable
  @inline(__always)
  internal mutating func next(upTo bound: Int) -> Int {
    let bits = next() &>> 32
    return Int(truncatingIfNeeded: (bits &* UInt64(truncatingIfNeeded: bound &+ 1)) &>> 32)
  }
}
