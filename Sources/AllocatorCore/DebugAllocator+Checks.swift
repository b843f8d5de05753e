//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSystemShim

extension DebugAllocator {
  /// CPython's GIL check: mem and object calls must come from the thread holding the heap. Returns whether the call
  /// may go on (a handler policy returns here after the report).
  internal func _checkHolder(function: String) -> Bool {
    guard family.requiresHeapOwner, !context._callerHoldsHeap else { return true }
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
    case .blockStart: break
    case .foreign, .unknown:
      guard sm_is_readable(pointer - _DebugBlock.headerSize, _DebugBlock.overhead) != 0 else { return .foreignPointer }
    }
    let block = _DebugBlock(user: pointer)
    let identifierIntact = block.identifierIsFamily
    let padsIntact = block.leadingPadsIntact
    if !(identifierIntact && padsIntact) && block.looksFreed { return freeing ? .doubleFree : .reallocateFreed }
    if !identifierIntact && !padsIntact {
      // Fresh data all around p (0xCD where a header should be): p points into a live block.
      let insideFreshData = (1...16).allSatisfy { block.byte(at: -$0) == _DebugBlock.cleanByte }
      return insideFreshData ? .interiorPointer : .foreignPointer
    }
    if block.identifier != family.apiIdentifier {
      return .badIdentifier(allocated: block.identifier, verified: family.apiIdentifier)
    }
    if !padsIntact || !_sizeIsPlausible(block, ownership: ownership) { return .badLeadingPad }
    if !block.trailingPadsIntact { return .badTrailingPad }
    return nil
  }

  /// Whether the header's size and alignment can be trusted enough to read the trailing pads.
  internal func _sizeIsPlausible(_ block: _DebugBlock, ownership: BlockOwnership) -> Bool {
    let shift = block.alignmentShift
    guard shift == 0 || (5...AllocationLimits.maximumAlignment.trailingZeroBitCount).contains(shift) else {
      return false
    }
    let size = block.requestedSize
    if ownership == .blockStart { return size + _DebugBlock.overhead <= base.usableSize(of: block.base) }
    return size <= 4096 || sm_is_readable(block.user, size + _DebugBlock.padCount) != 0
  }
}
