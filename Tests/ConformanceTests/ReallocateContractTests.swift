//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Testing

@Suite("Reallocate contract, every backend × every family")
struct ReallocateContractTests {
  static let sizes = [1, 8, 15, 16, 17, 100, 384, 385, 512, 513, 4096, 65_536, 1 << 20]

  @Test("Grow and shrink across 1 B … 1 MiB keep min(old, new) bytes", arguments: acceptedBackends)
  func matrix(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        let sizes = ReallocateContractTests.sizes
        for (id, old) in sizes.enumerated() {
          for new in sizes where new != old {
            guard let block = allocator.allocate(byteCount: old) else {
              Issue.record("\(allocator.name)/\(family.name): allocate(\(old)) returned nil")
              continue
            }
            fillPattern(block, id: id, size: old, count: old)
            guard let moved = allocator.reallocate(block, byteCount: new) else {
              Issue.record("\(allocator.name)/\(family.name): reallocate \(old) → \(new) returned nil")
              allocator.deallocate(block)
              continue
            }
            #expect(
              holdsPattern(moved, id: id, size: old, count: min(old, new)),
              "\(allocator.name)/\(family.name): \(old) → \(new)")
            #expect(allocator.usableSize(of: moved) >= new)
            allocator.deallocate(moved)
          }
        }
      }
    }
    try runOnEveryFamily(backend, Check())
  }

  @Test("A nil pointer allocates; size 0 keeps a valid block", arguments: acceptedBackends)
  func edges(backend: String) throws {
    struct Check: FamilyCheck {
      func check<A: Allocator>(_ allocator: A, family: Family) {
        let fresh = allocator.reallocate(nil, byteCount: 40)
        #expect(fresh != nil, "\(allocator.name)/\(family.name): reallocate(nil, 40)")
        guard let fresh else { return }
        fillPattern(fresh, id: 9, size: 40, count: 40)
        let shrunk = allocator.reallocate(fresh, byteCount: 0)
        #expect(shrunk != nil, "\(allocator.name)/\(family.name): reallocate(p, 0)")
        allocator.deallocate(shrunk)
      }
    }
    try runOnEveryFamily(backend, Check())
  }
}
