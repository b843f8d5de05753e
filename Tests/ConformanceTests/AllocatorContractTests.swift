//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Testing

@Suite("Allocator contract, every backend × every family")
struct AllocatorContractTests {
  static let sizes = [0, 1, 15, 16, 17, 511, 512, 513, 4095, 4096, 1 << 20, 64 << 20]

  @Test("Blocks are 16-aligned, usable ≥ requested, and hold every byte written", arguments: acceptedBackends)
  func sizesRoundTrip(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        for (id, size) in AllocatorContractTests.sizes.enumerated() {
          guard let block = allocator.allocate(byteCount: size) else {
            Issue.record("\(allocator.name)/\(family.name): allocate(\(size)) returned nil")
            continue
          }
          #expect(Int(bitPattern: block) % 16 == 0, "\(allocator.name)/\(family.name) size \(size)")
          #expect(allocator.usableSize(of: block) >= size, "\(allocator.name)/\(family.name) size \(size)")
          fillPattern(block, id: id, size: size, count: size)
          #expect(holdsPattern(block, id: id, size: size, count: size), "\(allocator.name) size \(size)")
          allocator.deallocate(block)
        }
      }
    }
    try runOnEveryFamily(backend, Check())
  }

  @Test("Zero bytes returns distinct non-nil pointers; tiny blocks are 16-aligned", arguments: acceptedBackends)
  func zeroBytes(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        let first = allocator.allocate(byteCount: 0)
        let second = allocator.allocate(byteCount: 0)
        #expect(first != nil && second != nil, "\(allocator.name)/\(family.name)")
        #expect(first != second, "\(allocator.name)/\(family.name)")
        allocator.deallocate(first)
        allocator.deallocate(second)
        // Tiny requests too are 16-aligned (jemalloc's own 8-byte class is not).
        let tiny = (0..<64).compactMap { allocator.allocate(byteCount: $0 % 9) }
        #expect(tiny.count == 64 && tiny.allSatisfy { Int(bitPattern: $0) % 16 == 0 }, "\(allocator.name)")
        tiny.forEach { allocator.deallocate($0) }
      }
    }
    try runOnEveryFamily(backend, Check())
  }

  @Test("Deallocating nil is a no-op; sized deallocation frees", arguments: acceptedBackends)
  func deallocation(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        allocator.deallocate(nil)
        for size in [1, 48, 512, 600, 70_000] {
          guard let block = allocator.allocate(byteCount: size) else {
            Issue.record("\(allocator.name)/\(family.name): allocate(\(size)) returned nil")
            continue
          }
          fillPattern(block, id: 1, size: size, count: size)
          allocator.deallocate(block, byteCount: size)
        }
      }
    }
    try runOnEveryFamily(backend, Check())
  }

  @Test("Zeroed allocation is zero, also over reused memory; count × size overflow is nil", arguments: acceptedBackends)
  func zeroed(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        for size in [1, 16, 100, 512, 513, 8192, 1 << 20] {
          for _ in 0..<3 {
            guard let dirty = allocator.allocate(byteCount: size) else { continue }
            dirty.initializeMemory(as: UInt8.self, repeating: 0xAB, count: size)
            allocator.deallocate(dirty)
          }
          guard let block = allocator.allocateZeroed(count: size, stride: 1) else {
            Issue.record("\(allocator.name)/\(family.name): allocateZeroed(\(size)) returned nil")
            continue
          }
          let bytes = UnsafeRawBufferPointer(start: block, count: size)
          #expect(bytes.allSatisfy { $0 == 0 }, "\(allocator.name)/\(family.name) size \(size)")
          allocator.deallocate(block)
        }
        #expect(allocator.allocateZeroed(count: Int.max, stride: 2) == nil)
        #expect(allocator.allocateZeroed(count: 1 << 32, stride: 1 << 32) == nil)
        #expect(allocator.allocateZeroed(count: -1, stride: 8) == nil)
        let empty = allocator.allocateZeroed(count: 0, stride: 8)
        #expect(empty != nil, "\(allocator.name)/\(family.name): zero elements")
        allocator.deallocate(empty)
      }
    }
    try runOnEveryFamily(backend, Check())
  }

  @Test("Aligned allocation for powers of two up to 64 KiB; other alignments are nil", arguments: acceptedBackends)
  func aligned(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        var alignment = 1
        while alignment <= AllocationLimits.maximumAlignment {
          for size in [1, 100, 5000] {
            guard let block = allocator.allocate(byteCount: size, alignment: alignment) else {
              Issue.record("\(allocator.name)/\(family.name): alignment \(alignment) size \(size) returned nil")
              continue
            }
            #expect(Int(bitPattern: block) % max(alignment, 16) == 0, "\(allocator.name) alignment \(alignment)")
            fillPattern(block, id: alignment, size: size, count: size)
            #expect(holdsPattern(block, id: alignment, size: size, count: size))
            allocator.deallocate(block)
          }
          alignment <<= 1
        }
        for bad in [0, 3, 24, -16, 1 << 40, AllocationLimits.maximumAlignment << 1] {
          #expect(allocator.allocate(byteCount: 64, alignment: bad) == nil, "\(allocator.name) alignment \(bad)")
        }
      }
    }
    try runOnEveryFamily(backend, Check())
  }
}
