//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The harness's table of live block pointers, allocated and written through once when the runner is made, so
/// that its pages are resident before a child reads its baseline RSS: peak and retained RSS are then the
/// allocator's alone. (Made inside a workload, the table's 8 bytes per block counted as the allocator's: 8 MiB of
/// the `phase` figure at N = 10⁶, for every backend.)
@usableFromInline
internal final class _BlockTable {
  @usableFromInline
  internal let _slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>
  @usableFromInline
  internal let _capacity: Int

  /// A table of `capacity` slots, every one written (`nil`).
  @usableFromInline
  internal init(capacity: Int) {
    _capacity = capacity
    _slots = .allocate(capacity: capacity)
    _slots.initialize(repeating: nil, count: capacity)
  }

  deinit {
    _slots.deallocate()
  }

  /// The first of `count` slots, each `nil` or a block the workload holds.
  @inlinable
  internal func slots(count: Int) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
    precondition(count <= _capacity, "a workload needs \(count) block slots; the runner was made with \(_capacity)")
    return _slots
  }
}
