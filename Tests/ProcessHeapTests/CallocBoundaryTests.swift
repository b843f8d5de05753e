//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation
import SwiftMallocCABI
import Testing

/// One family's calloc and free through the C ABI.
struct CallocFamily {
  let name: String
  let calloc: (Int, Int) -> UnsafeMutableRawPointer?
  let free: (UnsafeMutableRawPointer?) -> Void
}

/// `SIZE_MAX` as the exports receive a `size_t`.
let sizeMax = Int(bitPattern: UInt.max)

/// Runs every calloc of the C ABI (the three families and an `sm_heap`) on `backend` with zero and out-of-range
/// arguments; returns what went wrong.
func callocBoundaryFailures(backend: String) -> [String] {
  guard sm_select(backend) == 0, let heap = SwiftMallocCABI.sm_heap_new(backend) else { return ["\(backend) refused"] }
  defer { sm_heap_destroy(heap) }
  let families = [
    CallocFamily(name: "sm_raw_calloc", calloc: { sm_raw_calloc($0, $1) }, free: { sm_raw_free($0) }),
    CallocFamily(name: "sm_mem_calloc", calloc: { sm_mem_calloc($0, $1) }, free: { sm_mem_free($0) }),
    CallocFamily(name: "sm_object_calloc", calloc: { sm_object_calloc($0, $1) }, free: { sm_object_free($0) }),
    CallocFamily(name: "sm_heap_calloc", calloc: { sm_heap_calloc(heap, $0, $1) }, free: { sm_heap_free(heap, $0) }),
  ]
  var failures: [String] = []
  for family in families {
    for (count, size) in [(0, sizeMax), (sizeMax, 0), (0, Int.min), (Int.max, 0), (0, 0)] {
      let call = "\(family.name)(\(UInt(bitPattern: count)), \(UInt(bitPattern: size)))"
      let first = family.calloc(count, size)
      let second = family.calloc(count, size)
      if first == nil || second == nil || first == second { failures.append("\(call): not two zero-byte blocks") }
      family.free(first)
      family.free(second)
    }
    for (count, size) in [(1, sizeMax), (sizeMax, 1), (sizeMax, sizeMax), (2, Int.max), (Int.max / 2 + 1, 1)] {
      guard let block = family.calloc(count, size) else { continue }
      failures.append("\(family.name)(\(UInt(bitPattern: count)), \(UInt(bitPattern: size))): not refused")
      family.free(block)
    }
  }
  return failures
}

@Suite("calloc at the C ABI boundary")
struct CallocBoundaryTests {
  @Test("A zero count or size is a zero-byte block whatever the other; a size_t above Int.max is refused",
    arguments: processHeapBackends)
  func zeroProduct(backend: String) async {
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) { [backend] in
      let failures = callocBoundaryFailures(backend: backend)
      print(failures.joined(separator: "\n"))
      exit(failures.isEmpty ? 0 : 1)
    }
    let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
    #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(output)")
  }
}
