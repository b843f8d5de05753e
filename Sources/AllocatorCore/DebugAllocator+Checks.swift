//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSystemShim

extension DebugAllocator {
  /// CPython's GIL check: mem and object calls must come from the thread holding the heap, unless the allocator
  /// underneath is built for free threading. Returns whether the call may go on (a handler policy returns here
  /// after the report).
  internal func _checkHolder(function: String) -> Bool {
    guard family.requiresHeapOwner, !base.isFreeThreaded, !context._callerHoldsHeap else { return true }
    _report(.callWithoutHeap, at: nil, function: function)
    return false
  }

  /// The block at `pointer` if it passes the address check; otherwise reports the fault and returns `nil`.
  internal func _validatedBlock(
    _ pointer: UnsafeMutableRawPointer, function: String, freeing: Bool
  ) -> _DebugBlock? {
    if let fault = _addressFault(pointer, freeing: freeing) {
      _report(fault, at: pointer, function: function)
      return nil
    }
    return _DebugBlock(user: pointer)
  }

  /// The address check, in CPython's order (API id, leading pads, trailing pads), preceded by the checks CPython
  /// lacks. Memory is read only where the base owns it or the kernel says it is readable.
  @inline(never)
  internal func _addressFault(_ pointer: UnsafeMutableRawPointer, freeing: Bool) -> DebugFault? {
    guard Int(bitPattern: pointer) % AllocationLimits.minimumAlignment == 0 else { return .interiorPointer }
    let ownership = base.ownership(of: pointer - _DebugBlock.headerSize)
    switch ownership {
    case .interior: return .interiorPointer
    case .anotherHeap(let owner, let heap): return .blockOfAnotherHeap(owner: owner, heap: heap)
    case .blockStart: break
    case .foreign, .unknown:
      guard sm_is_readable(pointer - _DebugBlock.headerSize, _DebugBlock.overhead) != 0 else { return .foreignPointer }
    }
    let block = _DebugBlock(user: pointer)
    let identifierIntact = DebugAPIIdentifier.isKnown(block.identifier)
    let padsIntact = block.leadingPadsIntact
    if !(identifierIntact && padsIntact) && block.looksFreed { return freeing ? .doubleFree : .reallocateFreed }
    if !identifierIntact && !padsIntact {
      // Fresh data all around p (0xCD where a header should be): p points into a live block.
      let insideFreshData = (1...16).allSatisfy { block.byte(at: -$0) == _DebugBlock.cleanByte }
      return insideFreshData ? .interiorPointer : .foreignPointer
    }
    if block.identifier != apiIdentifier {
      return .badIdentifier(allocated: block.identifier, verified: apiIdentifier)
    }
    if !padsIntact || !_sizeIsPlausible(block, ownership: ownership) { return .badLeadingPad }
    if !block.trailingPadsIntact { return .badTrailingPad }
    return nil
  }

  /// Whether the header's size and alignment can be trusted enough to read the trailing pads and, on free, to
  /// fill the block and return it to the base.
  internal func _sizeIsPlausible(_ block: _DebugBlock, ownership: BlockOwnership) -> Bool {
    guard block.alignmentShift == 0 || _alignedFrameIsIntact(block, ownership: ownership) else { return false }
    let size = block.requestedSize
    if ownership == .blockStart { return size + _DebugBlock.overhead <= base.usableSize(of: block.base) }
    return size <= 4096 || sm_is_readable(block.user, size + _DebugBlock.padCount) != 0
  }

  /// Whether a non-zero alignment shift is an aligned block's, not an overflow from the block below (its first
  /// byte past the trailing pads is the shift's): p is aligned as the shift says, the header is not a block of the
  /// base's own (pymalloc serves no alignment above 16 from a pool), the base does not place the start the shift
  /// gives inside a block or region of its own, and the gap up to the header is readable and all 0xFD, as written.
  internal func _alignedFrameIsIntact(_ block: _DebugBlock, ownership: BlockOwnership) -> Bool {
    let shift = block.alignmentShift
    let shifts = _DebugBlock.minimumAlignmentShift...AllocationLimits.maximumAlignment.trailingZeroBitCount
    guard shifts.contains(shift), ownership != .blockStart, Int(bitPattern: block.user) & (block.frontGap - 1) == 0
    else { return false }
    switch base.ownership(of: block.base) {
    case .blockStart, .interior, .anotherHeap: return false
    case .foreign, .unknown: break
    }
    return sm_is_readable(block.base, block.frontGap - _DebugBlock.headerSize) != 0 && block.alignmentGapIntact
  }
}
