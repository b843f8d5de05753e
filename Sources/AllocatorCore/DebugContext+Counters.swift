//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSystemShim

#if canImport(Glibc)
  import Glibc
#endif

extension DebugContext {
  /// Counts a block of `byteCount` requested bytes into (or, with a negative sign, out of) `family`'s totals.
  internal func _count(_ family: Family, blocks: Int, bytes: Int) {
    withUnsafeMutablePointer(to: &_state.pointee.liveBlocks) { tuple in
      tuple.withMemoryRebound(to: CLong.self, capacity: 3) { sm_atomic_add($0 + family._slot, blocks) }
    }
    withUnsafeMutablePointer(to: &_state.pointee.liveBytes) { tuple in
      tuple.withMemoryRebound(to: CLong.self, capacity: 3) { sm_atomic_add($0 + family._slot, bytes) }
    }
  }

  /// `family`'s live blocks and requested bytes.
  internal func _totals(_ family: Family) -> (blocks: Int, bytes: Int) {
    let blocks = withUnsafeMutablePointer(to: &_state.pointee.liveBlocks) { tuple in
      tuple.withMemoryRebound(to: CLong.self, capacity: 3) { sm_atomic_load($0 + family._slot) }
    }
    let bytes = withUnsafeMutablePointer(to: &_state.pointee.liveBytes) { tuple in
      tuple.withMemoryRebound(to: CLong.self, capacity: 3) { sm_atomic_load($0 + family._slot) }
    }
    return (blocks, bytes)
  }
}

extension DebugContext {
  /// Records the calling stack for the block at `pointer`, when tracing is on.
  internal func _recordTraceback(for pointer: UnsafeMutableRawPointer) {
    let depth = _state.pointee.options.tracebackDepth
    guard depth > 0 else { return }
    var frames = [UnsafeMutableRawPointer?](repeating: nil, count: depth + 2)
    let count = Int(frames.withUnsafeMutableBufferPointer { sm_backtrace($0.baseAddress, Int32($0.count)) })
    // Skip this function and the debug allocator's entry point.
    let addresses = frames.prefix(count).dropFirst(2).map { UInt(bitPattern: $0) }
    sm_fork_guard_enter()
    pthread_mutex_lock(&_state.pointee.traceLock)
    _state.pointee.traces[UInt(bitPattern: pointer)] = Array(addresses)
    pthread_mutex_unlock(&_state.pointee.traceLock)
    sm_fork_guard_leave()
  }

  /// Forgets the traceback of a freed block.
  internal func _forgetTraceback(for pointer: UnsafeMutableRawPointer) {
    guard _state.pointee.options.tracebackDepth > 0 else { return }
    sm_fork_guard_enter()
    pthread_mutex_lock(&_state.pointee.traceLock)
    _state.pointee.traces[UInt(bitPattern: pointer)] = nil
    pthread_mutex_unlock(&_state.pointee.traceLock)
    sm_fork_guard_leave()
  }

  /// The recorded traceback of the block at `pointer`, if any.
  internal func _traceback(for pointer: UInt) -> [UInt]? {
    sm_fork_guard_enter()
    defer { sm_fork_guard_leave() }
    pthread_mutex_lock(&_state.pointee.traceLock)
    defer { pthread_mutex_unlock(&_state.pointee.traceLock) }
    return _state.pointee.traces[pointer]
  }
}

extension Family {
  /// The family's index in per-family tables.
  internal var _slot: Int {
    switch self {
    case .raw: 0
    case .mem: 1
    case .object: 2
    }
  }
}
