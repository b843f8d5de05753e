//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// A fuzz input decoded into operations: any byte string is a valid program.
///
/// Each operation reads an opcode byte, a size (two or three bytes), a slot byte and, for aligned allocations, an
/// alignment byte; missing bytes at the end read as zero.
///
/// | opcode % 8 | call |
/// |---|---|
/// | 0, 1, 2 | allocate |
/// | 3 | allocate zeroed (stride from the alignment byte) |
/// | 4 | reallocate |
/// | 5 | allocate aligned |
/// | 6, 7 | free |
///
/// The family is `(opcode / 8) % 3`. Sizes are biased to 0–600: the first size byte below `0xF0` gives
/// `(first << 8 | second) % 601`; `0xF0…0xF7` picks a size-class boundary, `0xF8…0xFD` a large size up to 1 MiB,
/// and `0xFE…0xFF` a size no allocator may satisfy (negative, `Int.max`, `1 << 62`, …).
public struct FuzzProgram: Sendable {
  /// The slots of the live-block table.
  public static let slotCount = 64
  /// Sizes just below, at and above the class and page boundaries.
  public static let boundarySizes = [0, 1, 15, 16, 17, 31, 32, 33, 496, 497, 511, 512, 513, 4095, 4096, 4097, 16384]
  /// Sizes every allocator must refuse.
  public static let invalidSizes = [-1, -4096, Int.min, Int.max, 1 << 62, AllocationLimits.maximumByteCount + 1]
  /// Alignments every allocator must refuse.
  public static let invalidAlignments = [0, 3, 24, -16, 1 << 17, 1 << 40]
  /// `count × stride` pairs every allocator must refuse.
  public static let invalidZeroedShapes = [(Int.max / 2, 3), (-1, 16), (1 << 40, 1 << 40), (16, -1)]

  /// The decoded operations.
  public var operations: [FuzzOperation]

  /// A program of the given operations.
  public init(operations: [FuzzOperation]) { self.operations = operations }

  /// Decodes `bytes`.
  public init(decoding bytes: some Collection<UInt8>) {
    var reader = _ByteReader(Array(bytes))
    operations = []
    while !reader.isAtEnd { operations.append(reader.operation()) }
  }
}

/// Reads a fuzz input byte by byte; past the end every byte is zero.
struct _ByteReader {
  private let bytes: [UInt8]
  private var position = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var isAtEnd: Bool { position >= bytes.count }

  mutating func byte() -> Int {
    defer { position += 1 }
    return position < bytes.count ? Int(bytes[position]) : 0
  }

  mutating func operation() -> FuzzOperation {
    let opcode = byte()
    let family = Family.allCases[(opcode / 8) % 3]
    let kind: FuzzOperation.Kind
    switch opcode % 8 {
    case 0, 1, 2: kind = .allocate(size: size())
    case 3: kind = zeroed()
    case 4: kind = .reallocate(size: size())
    case 5: kind = aligned()
    default: kind = .free
    }
    return FuzzOperation(kind: kind, family: family, slot: byte() % FuzzProgram.slotCount)
  }

  mutating func size() -> Int {
    let first = byte()
    switch first {
    case ..<0xF0: return (first << 8 | byte()) % 601
    case ..<0xF8: return FuzzProgram.boundarySizes[byte() % FuzzProgram.boundarySizes.count]
    case ..<0xFE: return 601 + (byte() << 8 | byte()) * 16
    default: return FuzzProgram.invalidSizes[byte() % FuzzProgram.invalidSizes.count]
    }
  }

  mutating func zeroed() -> FuzzOperation.Kind {
    let count = size()
    let shape = byte()
    if shape >= 0xF0 {
      let (count, stride) = FuzzProgram.invalidZeroedShapes[(shape - 0xF0) % FuzzProgram.invalidZeroedShapes.count]
      return .allocateZeroed(count: count, stride: stride)
    }
    let stride = [1, 2, 8, 16][shape % 4]
    return .allocateZeroed(count: count / stride, stride: stride)
  }

  mutating func aligned() -> FuzzOperation.Kind {
    let size = size()
    let shape = byte()
    if shape >= 0xF0 {
      return .allocateAligned(
        size: size, alignment: FuzzProgram.invalidAlignments[(shape - 0xF0) % FuzzProgram.invalidAlignments.count])
    }
    return .allocateAligned(size: size, alignment: 1 << (shape % 17))
  }
}
