//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorWorkloads

extension FuzzProgram {
  /// The bytes that decode to this program, for seed corpora. Sizes the format cannot spell exactly (large sizes
  /// not on its 16-byte grid) round up to the next size it can.
  public func encoded() -> [UInt8] {
    var bytes: [UInt8] = []
    for operation in operations {
      let familyCode = Family.allCases.firstIndex(of: operation.family)! * 8
      switch operation.kind {
      case .allocate(let size):
        bytes += [UInt8(familyCode)] + Self.encodedSize(size)
      case .allocateZeroed(let count, let stride):
        bytes += [UInt8(familyCode + 3)] + Self.encodedZeroedShape(count: count, stride: stride)
      case .reallocate(let size):
        bytes += [UInt8(familyCode + 4)] + Self.encodedSize(size)
      case .allocateAligned(let size, let alignment):
        bytes += [UInt8(familyCode + 5)] + Self.encodedSize(size) + [Self.encodedAlignment(alignment)]
      case .free:
        bytes.append(UInt8(familyCode + 6))
      }
      bytes.append(UInt8(operation.slot % Self.slotCount))
    }
    return bytes
  }

  private static func encodedSize(_ size: Int) -> [UInt8] {
    if let index = invalidSizes.firstIndex(of: size) { return [0xFE, UInt8(index)] }
    if (0...600).contains(size) { return [UInt8(size >> 8), UInt8(size & 0xFF)] }
    if let index = boundarySizes.firstIndex(of: size) { return [0xF0, UInt8(index)] }
    let steps = min(0xFFFF, (max(size, 601) - 601 + 15) / 16)
    return [0xF8, UInt8(steps >> 8), UInt8(steps & 0xFF)]
  }

  private static func encodedZeroedShape(count: Int, stride: Int) -> [UInt8] {
    if let index = invalidZeroedShapes.firstIndex(where: { $0 == (count, stride) }) {
      return encodedSize(0) + [UInt8(0xF0 + index)]
    }
    return encodedSize(count &* stride) + [UInt8([1, 2, 8, 16].firstIndex(of: stride) ?? 0)]
  }

  private static func encodedAlignment(_ alignment: Int) -> UInt8 {
    if let index = invalidAlignments.firstIndex(of: alignment) { return UInt8(0xF0 + index) }
    return UInt8(alignment.trailingZeroBitCount % 17)
  }

  /// A program of the mem family that replays `operations` of an mtrace log, its slots folded onto the table.
  public init(replaying operations: ArraySlice<MtraceLog.Operation>) {
    self.init(
      operations: operations.map { operation in
        let kind: FuzzOperation.Kind
        switch operation.kind {
        case .allocate: kind = .allocate(size: operation.size)
        case .reallocate: kind = .reallocate(size: operation.size)
        case .free: kind = .free
        }
        return FuzzOperation(kind: kind, family: .mem, slot: Int(operation.slot) % Self.slotCount)
      })
  }
}
