//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc
import Foundation
import SwiftMallocRegistry

/// The process-wide heap behind the family functions: created at first use from `sm_select`'s choice, else
/// `SWIFTMALLOC`, else the build default, and only touched under the process lock.
enum ProcessHeap {
  /// Guarded by the process lock.
  nonisolated(unsafe) private static var heap: (_HeapOperations)?
  /// Guarded by the process lock: the configuration `sm_select` chose.
  nonisolated(unsafe) static var selected: BackendConfiguration?
  /// Guarded by the process lock: the backend name as a C string, kept for the process's life.
  nonisolated(unsafe) static var cName: UnsafeMutablePointer<CChar>?

  /// Runs `body` on the heap under the process lock; a debug heap is handed to the calling thread meanwhile.
  static func withLockedHeap<Result>(_ body: (_HeapOperations) -> Result) -> Result {
    sm_process_lock()
    defer { sm_process_unlock() }
    let heap = existingOrNewHeap()
    heap.debugContext?.setHolderToCurrentThread()
    defer { heap.debugContext?.clearHolder() }
    return body(heap)
  }

  /// Whether the heap was created (the backend can no longer change). Call under the lock.
  static var exists: Bool { heap != nil }

  private static func existingOrNewHeap() -> _HeapOperations {
    if let heap { return heap }
    let configuration = selected ?? environmentConfiguration()
    let created = configuration.makeAllocatorSet(_MakeHeap())
    heap = created
    cName = strdup(configuration.name)
    return created
  }

  /// `SWIFTMALLOC`, or the build default when it is unset or refused (a refused value is reported once on stderr,
  /// since a C host has no other channel before its first allocation).
  private static func environmentConfiguration() -> BackendConfiguration {
    do {
      return try Registry.select(flag: nil, environment: ProcessInfo.processInfo.environment).configuration
    } catch {
      FileHandle.standardError.write(Data("swift-malloc: \(error); using the default\n".utf8))
      return BackendConfiguration(base: BuildConfiguration.defaultBase, debugHooks: false)
    }
  }
}
