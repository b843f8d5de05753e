//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SwiftMallocRegistry

/// A contract check run on one allocator, specialized for its concrete type.
protocol FamilyCheck {
  func check<A: Allocator>(_ allocator: A, family: Family)
}

/// Runs a ``FamilyCheck`` on the raw, mem and object allocators of a new set for `backendName`.
struct EveryFamily<Check: FamilyCheck>: AllocatorSetBody {
  let check: Check

  func run<Set: AllocatorSet>(_ set: Set) {
    check.check(set.raw, family: .raw)
    check.check(set.mem, family: .mem)
    check.check(set.object, family: .object)
  }
}

/// Every backend name this build accepts: adding a backend adds its cases.
let acceptedBackends = Registry.acceptedNames

/// Runs `check` on every family of a new set for `backendName`.
func runOnEveryFamily(_ backendName: String, _ check: some FamilyCheck) throws {
  try Registry.configuration(named: backendName).withNewAllocatorSet(EveryFamily(check: check))
}

/// The byte a block with `id` and `size` holds at `offset`: differs between blocks, sizes and positions.
@inline(__always)
func patternByte(id: Int, size: Int, offset: Int) -> UInt8 {
  UInt8(truncatingIfNeeded: id &* 131 &+ size &* 7 &+ offset)
}

/// Writes the pattern of `(id, size)` over `count` bytes at `pointer`.
func fillPattern(_ pointer: UnsafeMutableRawPointer, id: Int, size: Int, count: Int) {
  let bytes = pointer.assumingMemoryBound(to: UInt8.self)
  for offset in 0..<count { bytes[offset] = patternByte(id: id, size: size, offset: offset) }
}

/// Whether the first `count` bytes at `pointer` hold the pattern of `(id, size)`.
func holdsPattern(_ pointer: UnsafeMutableRawPointer, id: Int, size: Int, count: Int) -> Bool {
  let bytes = pointer.assumingMemoryBound(to: UInt8.self)
  for offset in 0..<count where bytes[offset] != patternByte(id: id, size: size, offset: offset) { return false }
  return true
}

/// xorshift64, the generator of the benchmark spec, for reproducible test sequences.
struct TestGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return state
  }

  mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
