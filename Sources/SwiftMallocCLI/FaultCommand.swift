//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser
import Foundation
import SwiftMallocRegistry

/// `swiftmalloc fault KIND`: commits one memory misuse under a debug backend, which prints its dump and aborts.
struct FaultCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fault",
    abstract: "Commit one memory fault under a debug backend (default pymalloc_debug): it prints the dump and aborts.",
    discussion: "Under a backend without debug hooks the fault would go undetected, so it is not run.")

  @Argument(help: "The fault: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")).")
  var kind: FaultKind

  @Option(help: "Backend name (beats SWIFTMALLOC, which beats pymalloc_debug here).")
  var backend: String?

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let name = backend ?? environment[Registry.environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? "pymalloc_debug"
    let configuration: BackendConfiguration
    do {
      configuration = try Registry.configuration(named: name, source: backend == nil ? .environment : .flag)
    } catch {
      throw ValidationError(error.description)
    }
    guard configuration.debugHooks else {
      FileDescriptorOutput.standardOutput.write(
        "fault \(kind.rawValue) is undetected under '\(name)' (no debug hooks): not run. "
          + "Use a _debug backend, e.g. --backend \(configuration.base.rawValue)_debug.\n")
      return
    }
    guard kind.applies(to: configuration.base) else {
      FileDescriptorOutput.standardOutput.write("fault \(kind.rawValue) cannot happen under '\(name)': not run.\n")
      return
    }
    configuration.withNewAllocatorSet(CommitFault(kind: kind))
  }
}

/// The misuses `fault` demonstrates.
enum FaultKind: String, ExpressibleByArgument, CaseIterable, Codable, Sendable {
  case overflow
  case underflow
  case headerOverflow = "header-overflow"
  case apiMismatch = "api-mismatch"
  case doubleFree = "double-free"
  case foreign
  case stack
  case guardPage = "guard-page"
  case interior
  case useAfterFree = "use-after-free"
  case reallocFreed = "realloc-freed"
  case wrongOwner = "wrong-owner"
  case otherHeap = "other-heap"

  /// Whether the kind can happen on `base`: the GIL check does not exist over a free-threaded backend, and only
  /// pymalloc keeps heaps apart (glibc has one; jemalloc and mimalloc free a block of any of their heaps).
  func applies(to base: BaseBackend) -> Bool {
    switch self {
    case .wrongOwner: !base.isFreeThreaded
    case .otherHeap: base == .pymalloc || base == .pymallocThreaded
    default: true
    }
  }
}

/// Allocates 32 bytes from a set's mem family and frees them through `other`, the mem family of another set.
struct FreeThrough<Other: Allocator>: AllocatorSetBody {
  let other: Other
  func run<Set: AllocatorSet>(_ set: Set) {
    other.deallocate(set.mem.allocate(byteCount: 32))
  }
}

/// Commits the fault on a debug set; under the abort policy the process ends inside.
struct CommitFault: AllocatorSetBody {
  let kind: FaultKind

  func run<Set: AllocatorSet>(_ set: Set) {
    let mem = set.mem
    switch kind {
    case .overflow:
      // CPython's _testcapi.pymem_buffer_overflow: 16 bytes, 'x' one past the end, free.
      let block = mem.allocate(byteCount: 16)!
      block.storeBytes(of: UInt8(ascii: "x"), toByteOffset: 16, as: UInt8.self)
      mem.deallocate(block)
    case .underflow:
      let block = mem.allocate(byteCount: 40)!
      (block - 3).storeBytes(of: 0x41, as: UInt8.self)
      mem.deallocate(block)
    case .headerOverflow:
      // What an overflow one byte past the trailing pads of the block below does: the first header byte is the
      // big-endian size's most significant.
      let block = mem.allocate(byteCount: 24)!
      (block - 16).storeBytes(of: UInt8(ascii: "\n"), as: UInt8.self)
      mem.deallocate(block)
    case .apiMismatch:
      set.raw.deallocate(mem.allocate(byteCount: 16))
    case .doubleFree:
      let block = mem.allocate(byteCount: 16)
      mem.deallocate(block)
      mem.deallocate(block)
    case .foreign:
      let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
      buffer.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
      mem.deallocate(buffer + 16)
    case .stack:
      // 16-aligned, as every block pointer is: an 8-aligned one would be rejected before the header is read.
      var local: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
      withUnsafeMutableBytes(of: &local) { bytes in
        let aligned = (UInt(bitPattern: bytes.baseAddress!) + 15) & ~15
        mem.deallocate(UnsafeMutableRawPointer(bitPattern: aligned + 16))
      }
    case .guardPage:
      // Mapped but PROT_NONE, as a guard page or a reservation: reading the header would fault.
      let page = Int(sysconf(Int32(_SC_PAGESIZE)))
      let region = mmap(nil, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
      mem.deallocate(region + 64)
    case .interior:
      let block = mem.allocate(byteCount: 64)!
      mem.deallocate(block + 32)
    case .useAfterFree:
      let block = mem.allocate(byteCount: 16)!
      mem.deallocate(block)
      block.storeBytes(of: UInt8(ascii: "x"), toByteOffset: 4, as: UInt8.self)
      // As many frees again as the quarantine holds push the block out of it, verified.
      for _ in 0..<_DebugQuarantine.capacity { mem.deallocate(mem.allocate(byteCount: 16)) }
    case .reallocFreed:
      let block = mem.allocate(byteCount: 16)
      mem.deallocate(block)
      mem.deallocate(mem.reallocate(block, byteCount: 32))
    case .wrongOwner:
      runOnAnotherThread { mem.deallocate(mem.allocate(byteCount: 16)) }
    case .otherHeap:
      // A block of a second set of the same configuration, freed through this one while both exist.
      set.configuration.withNewAllocatorSet(FreeThrough(other: mem))
    }
  }
}

/// Runs `body` on a new thread and waits for it.
func runOnAnotherThread(_ body: @escaping () -> Void) {
  final class Work {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }
  var thread = pthread_t()
  let work = Unmanaged.passRetained(Work(body)).toOpaque()
  pthread_create(&thread, nil, { context in
    Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
    return nil
  }, work)
  pthread_join(thread, nil)
}
