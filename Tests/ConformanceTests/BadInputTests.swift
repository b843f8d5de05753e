//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Testing

@Suite("Bad input returns nil and leaves every live block intact")
struct BadInputTests {
  static let badSizes = [Int.max, -1, Int.min, 1 << 62, AllocationLimits.maximumByteCount + 1]

  @Test("Huge, negative and overflowing sizes", arguments: acceptedBackends)
  func hugeSizes(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        let live = (0..<20).compactMap { id -> (UnsafeMutableRawPointer, Int)? in
          let size = 1 + id * 37
          guard let block = allocator.allocate(byteCount: size) else { return nil }
          fillPattern(block, id: id, size: size, count: size)
          return (block, size)
        }
        for size in BadInputTests.badSizes {
          #expect(allocator.allocate(byteCount: size) == nil, "\(allocator.name)/\(family.name) allocate \(size)")
          #expect(allocator.allocate(byteCount: size, alignment: 64) == nil, "\(allocator.name) aligned \(size)")
          #expect(allocator.allocateZeroed(count: size, stride: 1) == nil, "\(allocator.name) zeroed \(size)")
          let (block, blockSize) = live[0]
          #expect(allocator.reallocate(block, byteCount: size) == nil, "\(allocator.name) reallocate \(size)")
          #expect(holdsPattern(block, id: 0, size: blockSize, count: blockSize), "\(allocator.name) kept block")
        }
        for bad in [0, 3, 1 << 40] {
          #expect(allocator.allocate(byteCount: 16, alignment: bad) == nil, "\(allocator.name) alignment \(bad)")
        }
        for (id, (block, size)) in live.enumerated() {
          #expect(holdsPattern(block, id: id, size: size, count: size), "\(allocator.name)/\(family.name) block \(id)")
          allocator.deallocate(block)
        }
      }
    }
    try runOnEveryFamily(backend, Check())
  }
}
