//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc
import Foundation
import SwiftMallocRegistry

/// The process-wide heap behind the family functions: made at first use from `sm_select`'s choice, else
/// `SWIFTMALLOC`, else the build default, then published once (`sm_process_heap`) and read without the lock.
///
/// Its families take the process lock only where their allocator needs it (see
/// ``_FamilyEntries/needsProcessLock(_:family:)``): never for the raw family, never for any family of the
/// concurrent pymalloc (`pymalloc_mt`, `pymalloc_mt_debug`), whose threads each allocate from a heap of their own.
enum ProcessHeap {
  /// Guarded by the process lock: the configuration `sm_select` chose.
  nonisolated(unsafe) static var selected: BackendConfiguration?
  /// Guarded by the process lock: whether the configuration was read for the heap (`sm_select` is too late then).
  nonisolated(unsafe) static var isChosen = false
  /// Written once before the heap is published: the backend name as a C string, kept for the process's life.
  nonisolated(unsafe) static var cName: UnsafeMutablePointer<CChar>?

  /// Runs `body` on the process heap, borrowed: no lock, no reference counting.
  @inline(__always)
  static func withHeap<Result>(_ body: (_HeapOperations) -> Result) -> Result {
    Unmanaged<_HeapOperations>.fromOpaque(sm_process_heap_load() ?? publishedHeap())._withUnsafeGuaranteedRef(body)
  }

  /// Makes the heap outside the lock and publishes it under the lock, unless another thread was first; the heap
  /// that lost is destroyed after the lock is released.
  @inline(never)
  private static func publishedHeap() -> UnsafeMutableRawPointer {
    let configuration = _ProcessLock.run { () -> BackendConfiguration in
      let chosen = selected ?? environmentConfiguration()
      (selected, isChosen) = (chosen, true)  // a thread racing this one makes its heap from the same choice
      return chosen
    }
    let made = Unmanaged.passRetained(configuration.makeAllocatorSet(_MakeHeap(lockingProcess: true)))
    let winner = _ProcessLock.run { () -> UnsafeMutableRawPointer in
      if let published = sm_process_heap_load() { return published }
      cName = strdup(configuration.name)
      sm_process_heap_publish(made.toOpaque())
      return made.toOpaque()
    }
    if winner != made.toOpaque() { made.takeRetainedValue().destroy() }
    return winner
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
