//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#endif

/// The last few blocks a debug allocator freed, held back from the allocator underneath while filled with 0xDD.
///
/// A write into a freed block is found deterministically, on every backend: the newest held block is verified at
/// each allocation (the memory LIFO allocators would hand out next), and each block again when it leaves the
/// quarantine for the allocator underneath. Only blocks up to ``maximumBlockSize`` are held, so the check stays
/// cheap. Guarded by a mutex: the raw family is called from any thread.
internal struct _DebugQuarantine {
  /// Blocks held at a time.
  static let capacity = 8
  /// Largest underlying block (in usable bytes) that is held; larger ones go straight back.
  static let maximumBlockSize = 4096

  /// A held block: where its memory starts and how many bytes are 0xDD.
  struct Entry {
    var memory: UnsafeMutableRawPointer
    var usable: Int
  }

  private var entries: [Entry] = []
  private var lock = pthread_mutex_t()

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
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    entries.append(entry)
    return entries.count > Self.capacity ? entries.removeFirst() : nil
  }

  /// The newest held block, if it was modified since its free (it is then removed: the caller leaks it).
  mutating func takeNewestIfModified() -> (entry: Entry, modifiedOffsets: [Int])? {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    guard let newest = entries.last else { return nil }
    let modified = newest.modifiedOffsets()
    guard !modified.isEmpty else { return nil }
    entries.removeLast()
    return (newest, modified)
  }

  /// Empties the quarantine, returning what it held.
  mutating func drain() -> [Entry] {
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
