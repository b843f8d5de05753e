//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// CPython's memory debug hooks (`PyMem_SetupDebugHooks`) over any allocator, for one family.
///
/// Every block carries its requested size, its family's API id and forbidden bytes on both sides (see
/// `_DebugBlock` for the layout). Fresh memory is filled with 0xCD, freed memory with 0xDD. Freeing or resizing
/// checks, in CPython's order, the API id, the leading pads and the trailing pads; any failure prints CPython's dump
/// and a fatal line, then aborts (or hands a ``DebugReport`` to the host, see ``DebugReportPolicy``).
///
/// Freed blocks of up to 4 KiB are held back for the next 8 frees and verified when they leave (see
/// `_DebugQuarantine`), so a write into freed memory is caught before the memory is handed out again.
///
/// Beyond CPython it detects, each with its own message and without reading memory that may be unmapped or
/// protected: a double free, a pointer the heap never returned, an interior pointer, reallocation of a freed block,
/// and a write into a freed block found when it leaves the quarantine. The mem and object families check that the
/// calling thread holds the heap (CPython's GIL check); the raw family never checks.
///
/// With pymalloc underneath, a request of n bytes takes a pymalloc block of n + 24, so requests up to 488 bytes stay
/// in pymalloc.
public struct DebugAllocator<Base: Allocator>: Allocator {
  /// The family whose rules this allocator follows (the heap-holder check, the counters).
  public let family: Family
  /// The API id this allocator writes into each block and expects on free: the family's, or one of the process
  /// allocator's C and C++ families (``DebugAPIIdentifier``).
  public let apiIdentifier: UInt8
  /// The allocator underneath.
  public let base: Base
  /// The state shared by the set's three debug allocators.
  public let context: DebugContext
  internal let _quarantine: UnsafeMutablePointer<_DebugQuarantine>

  /// Wraps `base` for `family`. Call ``destroy()`` before destroying `base`.
  public init(family: Family, base: Base, context: DebugContext) {
    self.init(family: family, apiIdentifier: family.apiIdentifier, base: base, context: context)
  }

  /// Wraps `base` for `family`'s rules, writing and expecting `apiIdentifier` (one of ``DebugAPIIdentifier``'s):
  /// the process allocator gives `malloc`, `new` and `new[]` a debug allocator each. Call ``destroy()`` before
  /// destroying `base`.
  package init(family: Family, apiIdentifier: UInt8, base: Base, context: DebugContext) {
    self.family = family
    self.apiIdentifier = apiIdentifier
    self.base = base
    self.context = context
    self._quarantine = _DebugQuarantine.make()
  }

  /// The base backend's name plus `_debug`.
  public var name: String { base.name + "_debug" }

  /// The hooks lock what they share, so the raw family is as thread-safe as the allocator underneath; the mem and
  /// object families are only over a free-threaded allocator, since otherwise a call from a thread that does not
  /// hold the heap is a fault (CPython's GIL check).
  public var isThreadSafe: Bool { base.isThreadSafe && (!family.requiresHeapOwner || base.isFreeThreaded) }

  /// As the allocator underneath; then the GIL check does not apply.
  public var isFreeThreaded: Bool { base.isFreeThreaded }

  public func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    guard _checkHolder(function: "_PyMem_DebugMalloc") else { return nil }
    guard AllocationLimits.isSatisfiable(byteCount),
      let total = _DebugBlock.underlyingSize(requestedSize: byteCount, frontGap: _DebugBlock.headerSize)
    else { return nil }
    guard let memory = base.allocate(byteCount: total) else { return nil }
    return _finishAllocation(_DebugBlock(base: memory), requestedSize: byteCount, fill: _DebugBlock.cleanByte)
  }

  public func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    guard _checkHolder(function: "_PyMem_DebugCalloc") else { return nil }
    guard let byteCount = AllocationLimits.zeroedByteCount(count: count, stride: stride),
      let total = _DebugBlock.underlyingSize(requestedSize: byteCount, frontGap: _DebugBlock.headerSize),
      let memory = base.allocateZeroed(count: total, stride: 1)
    else { return nil }
    return _finishAllocation(_DebugBlock(base: memory), requestedSize: byteCount, fill: nil)
  }

  public func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    guard AllocationLimits.isValidAlignment(alignment) else { return nil }
    guard alignment > _DebugBlock.headerSize else { return allocate(byteCount: byteCount) }
    guard _checkHolder(function: "_PyMem_DebugMalloc") else { return nil }
    guard AllocationLimits.isSatisfiable(byteCount),
      let total = _DebugBlock.underlyingSize(requestedSize: byteCount, frontGap: alignment),
      let memory = base.allocate(byteCount: total, alignment: alignment)
    else { return nil }
    let block = _DebugBlock(base: memory, frontGap: alignment)
    return _finishAllocation(
      block, requestedSize: byteCount, fill: _DebugBlock.cleanByte, alignmentShift: alignment.trailingZeroBitCount)
  }

  public func deallocate(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    guard _checkHolder(function: "_PyMem_DebugFree") else { return }
    guard let block = _validatedBlock(pointer, function: "_PyMem_DebugRawFree", freeing: true) else { return }
    _release(block)
  }

  /// The requested size the block's header records.
  public func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    _DebugBlock(user: pointer).requestedSize
  }

  /// The base's statistics, with this family's live blocks and requested bytes counted by the hooks.
  public func statistics() -> AllocatorStatistics {
    var statistics = base.statistics()
    let totals = context._totals(family)
    statistics.backend = name
    statistics.liveBlocks = totals.blocks
    statistics.liveRequestedBytes = totals.bytes
    return statistics
  }

  /// The base's report (pymalloc: the `_debugmallocstats` text).
  public func statisticsReport() -> String { base.statisticsReport() }

  /// How many freed blocks the quarantine has verified; not intended to be used outside the debug hooks' own tests.
  package var _quarantineVerifications: Int { _quarantine.pointee.verificationCount() }

  /// A user pointer is a block start when the base says its header is one.
  public func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership {
    base.ownership(of: pointer - _DebugBlock.headerSize)
  }
}
