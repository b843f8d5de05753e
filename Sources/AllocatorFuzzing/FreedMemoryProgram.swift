//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A fuzz input for the freed-memory pass: pool-sized allocations and frees over a slot table, and writes into
/// the first 16 bytes (link and free mark) of recently freed blocks, the use-after-free writes a hardened heap
/// must catch or survive. Any byte string is a valid program.
///
/// | opcode % 8 | step | bytes that follow |
/// |---|---|---|
/// | 0 … 3 | allocate 1 … 512 bytes into a slot (its occupant is freed first) | size (2), slot |
/// | 4, 5 | free a slot | slot |
/// | 6, 7 | write into the k-th most recently freed block | k, form, then the form's bytes |
///
/// The write's form (`form % 4`): one byte at an offset (offset, value); a word at offset 0 or 8 set to a live
/// block's address plus a small delta (slot, delta), or to the first word of another freed block (k), or to eight
/// arbitrary bytes. Missing bytes at the end read as zero.
public struct FreedMemoryProgram: Sendable {
  /// One step of a program.
  public enum Step: Equatable, Sendable {
    /// Allocates `size` bytes (1 … 512) into `slot`, freeing its occupant first.
    case allocate(size: Int, slot: Int)
    /// Frees the block in `slot`, if any.
    case free(slot: Int)
    /// Writes into the `recency`-th most recently freed block (0: the last one) that is still free.
    case write(recency: Int, FreedMemoryWrite)
  }

  /// The slots of the live-block table.
  public static let slotCount = 64

  /// The decoded steps.
  public var steps: [Step]

  /// A program of the given steps.
  public init(steps: [Step]) { self.steps = steps }

  /// Decodes `bytes`.
  public init(decoding bytes: some Collection<UInt8>) {
    var reader = _ByteReader(Array(bytes))
    steps = []
    while !reader.isAtEnd { steps.append(reader.freedMemoryStep()) }
  }
}

extension _ByteReader {
  mutating func freedMemoryStep() -> FreedMemoryProgram.Step {
    switch byte() % 8 {
    case 0...3:
      let size = (byte() << 8 | byte()) % 512 + 1
      return .allocate(size: size, slot: byte() % FreedMemoryProgram.slotCount)
    case 4, 5:
      return .free(slot: byte() % FreedMemoryProgram.slotCount)
    default:
      let recency = byte() % 8
      return .write(recency: recency, freedMemoryWrite())
    }
  }

  mutating func freedMemoryWrite() -> FreedMemoryWrite {
    let form = byte()
    let offset = form & 0x10 == 0 ? 0 : 8
    switch form % 4 {
    case 0: return .byte(offset: byte() % 16, value: UInt8(truncatingIfNeeded: byte()))
    case 1:
      let slot = byte() % FreedMemoryProgram.slotCount
      return .liveAddress(offset: offset, slot: slot, delta: byte() % 64 - 32)
    case 2: return .freedWord(offset: offset, recency: byte() % 8)
    default: return .word(offset: offset, value: (0..<8).reduce(0) { word, _ in word << 8 | UInt(byte()) })
    }
  }
}
