//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The contract every backend keeps.
///
/// An allocator is a small value (usually a struct wrapping a pointer to its state) with reference semantics:
/// copies share one heap. Generic code specialized for a concrete allocator calls straight into its inlined fast
/// path; nothing on the per-call path goes through an existential or a lookup.
///
/// ### Contract
/// - ``allocate(byteCount:)`` returns a pointer or `nil`. Zero bytes returns a distinct, non-nil pointer.
///   Every pointer is aligned to at least ``AllocationLimits/minimumAlignment`` (16) bytes.
/// - ``allocateZeroed(count:stride:)`` returns `count × stride` zeroed bytes, or `nil` when the product overflows
///   or exceeds ``AllocationLimits/maximumByteCount``.
/// - ``reallocate(_:byteCount:)`` with a `nil` pointer behaves as ``allocate(byteCount:)``. The first
///   `min(old, new)` bytes are preserved. On failure it returns `nil` and the old block stays valid and unchanged.
/// - ``deallocate(_:)`` with `nil` does nothing. ``deallocate(_:byteCount:)`` is the sized form for callers that
///   know the size they requested from ``allocate(byteCount:)``.
/// - ``allocate(byteCount:alignment:)`` accepts power-of-two alignments up to
///   ``AllocationLimits/maximumAlignment``; any other alignment returns `nil`, never a trap. The block is freed with
///   ``deallocate(_:)``.
/// - ``usableSize(of:)`` is at least the requested size.
/// - Sizes that cannot be satisfied (negative, above ``AllocationLimits/maximumByteCount``, overflowing) return
///   `nil`, never a trap, and every other live block stays intact.
///
/// Memory from one allocator must only be returned to that same allocator.
public protocol Allocator {
  /// The backend's name, as `SWIFTMALLOC` spells it (`malloc`, `pymalloc`, `jemalloc`, …).
  var name: String { get }

  /// Allocates `byteCount` uninitialized bytes.
  ///
  /// - Returns: A pointer aligned to 16 bytes, or `nil` when the request cannot be satisfied.
  ///   Zero bytes returns a distinct non-nil pointer.
  func allocate(byteCount: Int) -> UnsafeMutableRawPointer?

  /// Allocates `count × stride` bytes set to zero.
  ///
  /// - Returns: `nil` when `count × stride` overflows or cannot be satisfied.
  func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer?

  /// Resizes a block, moving it if needed.
  ///
  /// - Parameters:
  ///   - pointer: A block from this allocator, or `nil` to allocate.
  ///   - byteCount: The new size.
  /// - Returns: The resized block, or `nil` on failure, in which case `pointer` stays valid and unchanged.
  func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer?

  /// Returns a block to the allocator. `nil` is a no-op.
  func deallocate(_ pointer: UnsafeMutableRawPointer?)

  /// Returns a block whose requested size the caller knows.
  ///
  /// - Precondition: `pointer` came from ``allocate(byteCount:)`` or ``allocateZeroed(count:stride:)`` (or a
  ///   ``reallocate(_:byteCount:)``) of exactly `byteCount` bytes.
  func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int)

  /// Allocates `byteCount` bytes aligned to `alignment`.
  ///
  /// - Returns: `nil` unless `alignment` is a power of two no larger than ``AllocationLimits/maximumAlignment``.
  func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer?

  /// The number of bytes usable at `pointer`, at least the size requested for it.
  func usableSize(of pointer: UnsafeMutableRawPointer) -> Int

  /// A snapshot of the allocator's counters, in the shape every backend shares.
  func statistics() -> AllocatorStatistics

  /// The backend's human-readable statistics report (pymalloc: the `sys._debugmallocstats()` text).
  ///
  /// The default renders ``statistics()`` as aligned `label = value` lines.
  func statisticsReport() -> String

  /// Whether any thread may call this allocator at any time, with no lock of the caller's: glibc, jemalloc without
  /// an explicit thread cache, the concurrent pymalloc. A single-owner heap (pymalloc's `PymallocHeap`, CPython's
  /// GIL model) says `false`: its callers take turns under a lock of their own, and the debug hooks check that the
  /// caller holds it.
  var isThreadSafe: Bool { get }

  /// Whether the allocator is built for callers that share no lock at all, as CPython's free-threaded build is:
  /// the debug hooks' GIL check does not apply to it. `false` by default, also for thread-safe allocators that
  /// CPython still checks (glibc, jemalloc, mimalloc under `PYTHONMALLOC=…_debug`); the concurrent pymalloc says
  /// `true`.
  var isFreeThreaded: Bool { get }

  /// What this allocator can tell about `pointer` without reading memory it does not own.
  ///
  /// Debug layers use it to report foreign and interior pointers. The default answer is ``BlockOwnership/unknown``.
  func ownership(of pointer: UnsafeRawPointer) -> BlockOwnership
}
