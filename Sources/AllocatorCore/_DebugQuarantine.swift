//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSystemShim

#if canImport(Glibc)
  import Glibc
#endif

/// The last few blocks a debug allocator freed, held back from the allocator underneath while filled with 0xDD.
///
/// A write into a freed block is found deterministically, on every backend: each block is verified once, when it
/// leaves the quarantine for the allocator underneath (pushed out by a newer free, or drained when the allocator
/// is destroyed). Held blocks are never handed out, so nothing needs verifying before an allocation. Only blocks
/// up to ``maximumBlockSize`` are held, so a free costs at most one 4 KiB scan. Guarded by a mutex: the raw family
/// is called from any thread. Package-visible for the debug hooks' tests and the `fault` demonstrations.
package struct _DebugQuarantine {
  /// Blocks held at a time.
  package static let capacity = 8
  /// Largest underlying block (in usable bytes) that is held; larger ones go straight back.
  static let maximumBlockSize = 4096

  /// A held block: where its memory starts and how many bytes are 0xDD.
  struct Entry {
    var memory: UnsafeMutableRawPointer
    var usable: Int
  }

  private var entries: [Entry] = []
  private var lock = pthread_mutex_t()
  /// Entries verified so far, counted atomically (verification runs outside the lock).
  private var verifications: CLong = 0

  /// A quarantine behind a pointer, so that its mutex never moves.
  static func make() -> UnsafeMutablePointer<_DebugQuarantine> {
    let quarantine = UnsafeMutablePointer<_DebugQuarantine>.allocate(capacity: 1)
    quarantine.initialize(to: _DebugQuarantine())
    quarantine.pointee.entries.reserveCapacity(capacity)
    pthread_mutex_init(&quarantine.pointee.lock, nil)
    return quarantine
  }

  /// Holds `entry`; returns the oldest block when the quarantine was full.
  mutating func hold(_ entry: Entry) -> Entry? {
    sm_fork_guard_enter()
    defer { sm_fork_guard_leave() }
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    entries.append(entry)
    return entries.count > Self.capacity ? entries.removeFirst() : nil
  }

  /// Offsets (from the block's base) of `entry`'s bytes that are no longer 0xDD; counts one verification.
  mutating func modifiedOffsets(of entry: Entry) -> [Int] {
    sm_atomic_add(&verifications, 1)
    return entry.modifiedOffsets()
  }

  /// How many entries were verified since the quarantine was made.
  mutating func verificationCount() -> Int { sm_atomic_load(&verifications) }

  /// Empties the quarantine, returning what it held.
  mutating func drain() -> [Entry] {
    sm_fork_guard_enter()
    defer { sm_fork_guard_leave() }
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    defer { entries.removeAll() }
    return entries
  }

  /// Releases the quarantine's own storage (drain it first).
  static func destroy(_ quarantine: UnsafeMutablePointer<_DebugQuarantine>) {
    pthread_mutex_destroy(&quarantine.pointee.lock)
    quarantine.deinitialize(count: 1)
    quarantine.deallocate()
  }
}

extension _DebugQuarantine.Entry {
  /// Offsets (from the block's base) of the bytes that are no longer 0xDD.
  func modifiedOffsets() -> [Int] {
    (0..<usable).filter { memory.load(fromByteOffset: $0, as: UInt8.self) != _DebugBlock.deadByte }
  }
}
