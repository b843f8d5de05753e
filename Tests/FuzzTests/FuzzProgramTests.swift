//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorFuzzing
import AllocatorWorkloads
import Testing

@Suite("Fuzz input format")
struct FuzzProgramTests {
  @Test("every kind of operation survives encoding and decoding")
  func roundTrip() {
    let program = FuzzProgram(operations: [
      FuzzOperation(kind: .allocate(size: 0), family: .raw, slot: 0),
      FuzzOperation(kind: .allocate(size: 600), family: .mem, slot: 63),
      FuzzOperation(kind: .allocate(size: 4096), family: .object, slot: 5),
      FuzzOperation(kind: .allocate(size: 601 + 16 * 1000), family: .object, slot: 6),
      FuzzOperation(kind: .allocate(size: Int.min), family: .raw, slot: 7),
      FuzzOperation(kind: .allocateZeroed(count: 30, stride: 8), family: .mem, slot: 8),
      FuzzOperation(kind: .allocateAligned(size: 100, alignment: 1 << 12), family: .object, slot: 9),
      FuzzOperation(kind: .reallocate(size: 513), family: .raw, slot: 10),
      FuzzOperation(kind: .free, family: .mem, slot: 11),
    ])
    #expect(FuzzProgram(decoding: program.encoded()).operations == program.operations)
  }

  @Test("any bytes decode, and re-encoding what they decode to changes nothing")
  func anyBytesDecode() {
    var generator = XorShift64()
    for length in 0..<300 {
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      let program = FuzzProgram(decoding: bytes)
      #expect(program.operations.count <= length)
      #expect(FuzzProgram(decoding: program.encoded()).operations == program.operations)
    }
  }

  @Test("sizes lean to 0…600, with boundaries, large and invalid sizes mixed in")
  func sizeBias() {
    var generator = XorShift64()
    let bytes = (0..<60_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let sizes = FuzzProgram(decoding: bytes).operations.compactMap { operation -> Int? in
      if case .allocate(let size) = operation.kind { size } else { nil }
    }
    let small = sizes.filter { (0...600).contains($0) }.count
    #expect(small * 10 > sizes.count * 8)
    #expect(sizes.contains { $0 > 600 && AllocationLimits.isSatisfiable($0) })
    #expect(sizes.contains { !AllocationLimits.isSatisfiable($0) })
  }

  @Test("an mtrace log becomes a mem-family program on the slot table")
  func fromTrace() {
    let log = MtraceLog(text: "@ ./a:[0x1] + 0x1000 0x20\n@ ./a:[0x1] < 0x1000\n@ ./a:[0x1] > 0x2000 0x40\n@ ./a:[0x1] - 0x2000\n")
    let program = FuzzProgram(replaying: log.operations[...])
    #expect(program.operations.map(\.kind) == [.allocate(size: 32), .reallocate(size: 64), .free])
    #expect(program.operations.allSatisfy { $0.family == .mem && $0.slot == program.operations[0].slot })
  }
}
