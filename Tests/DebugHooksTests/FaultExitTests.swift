//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SwiftMallocRegistry
import Testing

@testable import SwiftMallocCLI

/// Every debug backend this build accepts.
let debugBackends = Registry.acceptedNames.filter { $0.hasSuffix("_debug") }

/// The fatal line each fault ends with.
func expectedFatalLine(_ kind: FaultKind) -> String {
  let problem: String
  switch kind {
  case .overflow: problem = "_PyMem_DebugRawFree: bad trailing pad byte"
  case .underflow, .headerOverflow: problem = "_PyMem_DebugRawFree: bad leading pad byte"
  case .apiMismatch: problem = "_PyMem_DebugRawFree: bad ID: Allocated using API 'm', verified using API 'r'"
  case .doubleFree: problem = "_PyMem_DebugRawFree: double free: the block was already freed"
  case .foreign, .stack, .guardPage: problem = "_PyMem_DebugRawFree: pointer was not allocated by this heap"
  case .interior: problem = "_PyMem_DebugRawFree: pointer lies inside a block, not at its start"
  case .useAfterFree: problem = "_PyMem_DebugRawFree: freed memory was modified (write after free)"
  case .reallocFreed: problem = "_PyMem_DebugRawRealloc: reallocation of a freed block"
  case .wrongOwner: problem = "_PyMem_DebugMalloc: memory allocator called without holding the heap's lock"
  case .otherHeap: problem = "_PyMem_DebugRawFree: the block belongs to pymalloc heap #"
  }
  return "Fatal swift-malloc error: " + problem
}

/// stderr with every address replaced by `0x…`, split into lines.
func normalizedLines(_ bytes: [UInt8]) -> [String] {
  let text = String(decoding: bytes, as: UTF8.self)
  return text.replacing(/0x[0-9a-f]{6,}/, with: "0x…").split(separator: "\n", omittingEmptySubsequences: false)
    .map(String.init)
}

@Suite("Faults abort with CPython's dump under every debug backend")
struct FaultExitTests {
  @Test(
    "Each fault kind is detected with its own fatal line",
    arguments: debugBackends.flatMap { backend in
      let base = try! Registry.configuration(named: backend).base
      return FaultKind.allCases.filter { $0.applies(to: base) }.map { (backend, $0) }
    })
  func everyKind(backend: String, kind: FaultKind) async throws {
    let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardErrorContent]) {
      [backend, kind] in
      try Registry.configuration(named: backend).withNewAllocatorSet(CommitFault(kind: kind))
    }
    let lines = normalizedLines(result?.standardErrorContent ?? [])
    #expect(lines.contains { $0.hasPrefix(expectedFatalLine(kind)) }, "\(backend) \(kind): \(lines.prefix(20))")
  }

  @Test("overflow: the dump CPython's test_buffer_overflow expects, line by line", arguments: debugBackends)
  func overflowDump(backend: String) async throws {
    let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardErrorContent]) {
      [backend] in
      try Registry.configuration(named: backend).withNewAllocatorSet(CommitFault(kind: .overflow))
    }
    let lines = normalizedLines(result?.standardErrorContent ?? [])
    let expected = [
      "Debug memory block at address p=0x…: API 'm'",
      "    16 bytes originally requested",
      "    The 7 pad bytes at p-7 are FORBIDDENBYTE, as expected.",
      "    The 8 pad bytes at tail=0x… are not all FORBIDDENBYTE (0xfd):",
      "        at tail+0: 0x78 *** OUCH",
      "        at tail+1: 0xfd",
      "        at tail+2: 0xfd",
      "        at tail+3: 0xfd",
      "        at tail+4: 0xfd",
      "        at tail+5: 0xfd",
      "        at tail+6: 0xfd",
      "        at tail+7: 0xfd",
      "    Data at p: cd cd cd cd cd cd cd cd cd cd cd cd cd cd cd cd",
      "",
      "Enable tracemalloc to get the memory block allocation traceback",
      "",
      "Fatal swift-malloc error: _PyMem_DebugRawFree: bad trailing pad byte",
      "(tracemalloc here: run with SWIFTMALLOCTRACE=N to record N frames per block)",
    ]
    #expect(Array(lines.prefix(expected.count)) == expected, "\(backend)")
  }

  @Test("underflow at p-3: the leading-pad branch with its two warning lines", arguments: debugBackends)
  func underflowDump(backend: String) async throws {
    let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardErrorContent]) {
      [backend] in
      try Registry.configuration(named: backend).withNewAllocatorSet(CommitFault(kind: .underflow))
    }
    let lines = normalizedLines(result?.standardErrorContent ?? [])
    let expected = [
      "Debug memory block at address p=0x…: API 'm'",
      "    40 bytes originally requested",
      "    The 7 pad bytes at p-7 are not all FORBIDDENBYTE (0xfd):",
      "        at p-7: 0xfd",
      "        at p-6: 0xfd",
      "        at p-5: 0xfd",
      "        at p-4: 0xfd",
      "        at p-3: 0x41 *** OUCH",
      "        at p-2: 0xfd",
      "        at p-1: 0xfd",
      "    Because memory is corrupted at the start, the count of bytes requested",
      "       may be bogus, and checking the trailing pad bytes may segfault.",
      "    The 8 pad bytes at tail=0x… are FORBIDDENBYTE, as expected.",
      "    Data at p: cd cd cd cd cd cd cd cd ... cd cd cd cd cd cd cd cd",
    ]
    #expect(Array(lines.prefix(expected.count)) == expected, "\(backend)")
  }
}
