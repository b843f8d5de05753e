//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SwiftMallocRegistry
import Testing

/// Compiles `source` through SIL (the ownership checker runs there, after type checking) against the AllocatorCore module this test run was built with; returns swiftc's status and
/// diagnostics.
func typecheck(_ source: String) throws -> (status: Int32, diagnostics: String) {
  let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardized
  let snippet = FileManager.default.temporaryDirectory.appendingPathComponent("typed-\(UUID().uuidString).swift")
  try source.write(to: snippet, atomically: true, encoding: .utf8)
  defer { try? FileManager.default.removeItem(at: snippet) }
  let swiftc = Process()
  swiftc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  swiftc.arguments = [
    "swiftc", "-emit-sil", "-o", "/dev/null", "-I", products.appendingPathComponent("Modules").path,
    "-Xcc", "-fmodule-map-file=" + products.appendingPathComponent("CSystemShim.build/module.modulemap").path,
    "-Xcc", "-I" + repository.appendingPathComponent("Sources/CSystemShim/include").path, snippet.path,
  ]
  #if Mimalloc
    // AllocatorCore asks the mimalloc loader (CMimallocShim) whether the backend can run.
    swiftc.arguments! += [
      "-Xcc", "-fmodule-map-file=" + products.appendingPathComponent("CMimallocShim.build/module.modulemap").path,
      "-Xcc", "-I" + repository.appendingPathComponent("Sources/CMimallocShim/include").path,
    ]
  #endif
  #if Jemalloc
    // AllocatorCore asks the jemalloc loader (CJemallocShim) whether the backend can run.
    swiftc.arguments! += [
      "-Xcc", "-fmodule-map-file=" + products.appendingPathComponent("CJemallocShim.build/module.modulemap").path,
      "-Xcc", "-I" + repository.appendingPathComponent("Sources/CJemallocShim/include").path,
    ]
  #endif
  let errors = Pipe()
  swiftc.standardError = errors
  try swiftc.run()
  let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  swiftc.waitUntilExit()
  return (swiftc.terminationStatus, diagnostics)
}

/// A function body using the typed families of some set.
func snippet(_ body: String) -> String {
  """
  import AllocatorCore
  func use<S: AllocatorSet>(_ set: S) {
    let families = TypedFamilies(set)
    guard let block = families.mem.allocate(byteCount: 64) else { return }
  \(body)
  }
  """
}

@Suite("Typed families: the compiler rejects double and cross-family frees")
struct TypedFamilyTests {
  @Test("Correct use type-checks")
  func correct() throws {
    let result = try typecheck(snippet("  block.pointer.storeBytes(of: 1, as: UInt8.self)\n  families.mem.deallocate(block)"))
    #expect(result.status == 0, "\(result.diagnostics)")
  }

  @Test("A double free does not compile")
  func doubleFree() throws {
    let result = try typecheck(snippet("  families.mem.deallocate(block)\n  families.mem.deallocate(block)"))
    #expect(result.status != 0)
    #expect(result.diagnostics.contains("'block' consumed more than once"), "\(result.diagnostics)")
  }

  @Test("A cross-family free does not compile")
  func crossFamily() throws {
    let result = try typecheck(snippet("  families.raw.deallocate(block)"))
    #expect(result.status != 0)
    #expect(
      result.diagnostics.contains("cannot convert value of type 'FamilyBlock<MemFamily>' to expected argument type 'FamilyBlock<RawFamily>'"),
      "\(result.diagnostics)")
  }

  @Test("Typed blocks round-trip on every backend", arguments: Registry.acceptedNames)
  func roundTrip(backend: String) throws {
    struct Body: AllocatorSetBody {
      func run<Set: AllocatorSet>(_ set: Set) {
        let families = TypedFamilies(set)
        guard let raw = families.raw.allocate(byteCount: 24), let mem = families.mem.allocate(byteCount: 40),
          let object = families.object.allocate(byteCount: 600)
        else {
          Issue.record("allocation failed")
          return
        }
        #expect(raw.byteCount == 24 && mem.byteCount == 40 && object.byteCount == 600)
        mem.pointer.initializeMemory(as: UInt8.self, repeating: 7, count: 40)
        families.object.deallocate(object)
        families.mem.deallocate(mem)
        families.raw.deallocate(raw)
      }
    }
    try Registry.configuration(named: backend).withNewAllocatorSet(Body())
  }
}
