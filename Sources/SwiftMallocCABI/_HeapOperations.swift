//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SwiftMallocRegistry

/// A heap as the C ABI calls it, whatever its concrete allocator set: per family, entry points specialized for that
/// family's allocator (see ``_FamilyEntries``), chosen once when the heap is made.
///
/// Callers borrow it without reference counting (`_withUnsafeGuaranteedRef`); its stored properties are constants,
/// so a call loads an entry and its allocator's address and makes one indirect call. (A generic class would not do:
/// its vtable entries are the unspecialized bodies.)
final class _HeapOperations {
  let configurationName: String
  let debugContext: DebugContext?
  let raw: _FamilyEntries
  let mem: _FamilyEntries
  let object: _FamilyEntries
  let statisticsReport: () -> String
  let objectStatistics: () -> AllocatorStatistics
  private let _destroy: () -> Void

  /// Entries into `set`; with `lockingProcess`, the families that threads may not share without a lock (see
  /// ``_FamilyEntries/needsProcessLock(_:family:)``) and the statistics of such a heap run under the process lock.
  init<Set: AllocatorSet>(_ set: Set, lockingProcess: Bool) {
    configurationName = set.configuration.name
    let context = set.debugContext
    debugContext = context
    func entries<Family: Allocator>(_ allocator: Family, _ family: AllocatorCore.Family) -> _FamilyEntries {
      let direct = _FamilyEntries(direct: allocator)
      guard lockingProcess, _FamilyEntries.needsProcessLock(allocator, family: family) else { return direct }
      return _FamilyEntries(lockingProcessAround: direct, debugContext: context)
    }
    raw = entries(set.raw, .raw)
    mem = entries(set.mem, .mem)
    object = entries(set.object, .object)
    if lockingProcess, _FamilyEntries.needsProcessLock(set.object, family: .object) {
      statisticsReport = { _ProcessLock.run { set.object.statisticsReport() } }
      objectStatistics = { _ProcessLock.run { set.object.statistics() } }
    } else {
      statisticsReport = { set.object.statisticsReport() }
      objectStatistics = { set.object.statistics() }
    }
    _destroy = { set.destroy() }
  }

  /// Releases the set's heaps and the entries' storage; the heap and its blocks are invalid afterwards.
  func destroy() {
    _destroy()
    raw.release()
    mem.release()
    object.release()
  }
}

/// Builds the operations for whatever set a configuration makes.
struct _MakeHeap: AllocatorSetBody {
  /// Whether the heap is the process heap, which any thread may call (see ``_HeapOperations/init(_:lockingProcess:)``).
  let lockingProcess: Bool

  func run<Set: AllocatorSet>(_ set: Set) -> _HeapOperations { _HeapOperations(set, lockingProcess: lockingProcess) }
}
