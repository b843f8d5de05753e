//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension DebugAllocator {
  /// Frames a fresh block, fills its data, counts and traces it; returns the user pointer.
  internal func _finishAllocation(
    _ block: _DebugBlock, requestedSize: Int, fill: UInt8?, alignmentShift: Int = 0
  ) -> UnsafeMutableRawPointer {
    block.writeFrame(requestedSize: requestedSize, apiIdentifier: apiIdentifier, alignmentShift: alignmentShift)
    if let fill { block.user.initializeMemory(as: UInt8.self, repeating: fill, count: requestedSize) }
    context._count(family, blocks: 1, bytes: requestedSize)
    context._recordTraceback(for: block.user)
    return block.user
  }

  /// Fills a validated block with 0xDD over all the memory the base gave it, then holds it in the quarantine or,
  /// if it is large, returns it to the base.
  internal func _release(_ block: _DebugBlock) {
    let memory = block.base
    let usable = base.usableSize(of: memory)
    context._count(family, blocks: -1, bytes: -block.requestedSize)
    context._forgetTraceback(for: block.user)
    memory.initializeMemory(as: UInt8.self, repeating: _DebugBlock.deadByte, count: usable)
    guard usable <= _DebugQuarantine.maximumBlockSize else { return base.deallocate(memory) }
    guard let evicted = _quarantine.pointee.hold(_DebugQuarantine.Entry(memory: memory, usable: usable)) else {
      return
    }
    _returnToBase(evicted)
  }

  /// Verifies a block leaving the quarantine and returns it to the base; a block written to since its free is
  /// reported instead (and leaked under a handler policy).
  private func _returnToBase(_ entry: _DebugQuarantine.Entry) {
    let modified = _quarantine.pointee.modifiedOffsets(of: entry)
    guard modified.isEmpty else { return _reportWriteAfterFree(entry, modifiedOffsets: modified) }
    base.deallocate(entry.memory)
  }

  /// Verifies and returns every quarantined block to the base and releases the quarantine. The allocator is invalid
  /// afterwards.
  public func destroy() {
    for entry in _quarantine.pointee.drain() { _returnToBase(entry) }
    _DebugQuarantine.destroy(_quarantine)
  }
}
