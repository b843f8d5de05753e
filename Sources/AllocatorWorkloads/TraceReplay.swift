//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The outcome of replaying an ``MtraceLog`` on one allocator.
public struct ReplayResult: Codable, Sendable {
  /// Calls replayed.
  public var operations: Int
  /// Wall time of the replay, including the pattern fill and check of every block when the replay verifies.
  public var nanoseconds: UInt64
  /// The most requested bytes live at once.
  public var peakLiveBytes: Int
  /// Operation numbers (0-based) at which a block's pattern was found damaged.
  public var corruptedOperations: [Int]
  /// Requests the allocator refused.
  public var failedOperations: Int

  /// An empty result.
  @inlinable
  public init(
    operations: Int, nanoseconds: UInt64, peakLiveBytes: Int, corruptedOperations: [Int], failedOperations: Int
  ) {
    self.operations = operations
    self.nanoseconds = nanoseconds
    self.peakLiveBytes = peakLiveBytes
    self.corruptedOperations = corruptedOperations
    self.failedOperations = failedOperations
  }

  /// ns per replayed call.
  public var nanosecondsPerOperation: Double { operations == 0 ? 0 : Double(nanoseconds) / Double(operations) }
}

/// Replays a log. A verifying replay fills every block with a pattern of its slot and checks it before the block's
/// free or reallocation; a timing replay writes one byte of each block, as the synthetic workloads do, so that its
/// time is the allocator's calls and not the pattern work.
public struct TraceReplay<A: Allocator> {
  /// The allocator under test.
  public let allocator: A

  /// Replays on `allocator`.
  @inlinable
  public init(allocator: A) { self.allocator = allocator }

  /// Replays `log`, verifying every block unless `verifies` is `false`; `damage`, a test hook, runs after
  /// operation `damage.operation` with the block of that operation's slot.
  @inlinable
  public func run(
    _ log: MtraceLog, verifies: Bool = true, damage: (operation: Int, body: (UnsafeMutableRawPointer) -> Void)? = nil
  ) -> ReplayResult {
    let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(1, log.slotCount))
    let sizes = UnsafeMutablePointer<Int>.allocate(capacity: max(1, log.slotCount))
    slots.initialize(repeating: nil, count: max(1, log.slotCount))
    sizes.initialize(repeating: 0, count: max(1, log.slotCount))
    defer {
      slots.deallocate()
      sizes.deallocate()
    }
    var result = ReplayResult(operations: 0, nanoseconds: 0, peakLiveBytes: 0, corruptedOperations: [], failedOperations: 0)
    var liveBytes = 0
    let start = MonotonicClock.nanoseconds()
    for (number, operation) in log.operations.enumerated() {
      let slot = Int(operation.slot)
      switch operation.kind {
      case .allocate:
        guard let block = allocator.allocate(byteCount: operation.size) else {
          result.failedOperations += 1
          continue
        }
        write(block, slot: slot, count: operation.size, verifies: verifies)
        slots[slot] = block
        sizes[slot] = operation.size
        liveBytes += operation.size
      case .free:
        guard let block = slots[slot] else { continue }
        if verifies, !holds(block, slot: slot, count: sizes[slot]) { result.corruptedOperations.append(number) }
        allocator.deallocate(block)
        slots[slot] = nil
        liveBytes -= sizes[slot]
      case .reallocate:
        guard let block = slots[slot] else { continue }
        if verifies, !holds(block, slot: slot, count: sizes[slot]) { result.corruptedOperations.append(number) }
        guard let moved = allocator.reallocate(block, byteCount: operation.size) else {
          result.failedOperations += 1
          continue
        }
        write(moved, slot: slot, count: operation.size, verifies: verifies)
        slots[slot] = moved
        liveBytes += operation.size - sizes[slot]
        sizes[slot] = operation.size
      }
      result.peakLiveBytes = max(result.peakLiveBytes, liveBytes)
      if let damage, damage.operation == number, let block = slots[slot] { damage.body(block) }
    }
    result.nanoseconds = MonotonicClock.nanoseconds() - start
    result.operations = log.operations.count
    for slot in 0..<log.slotCount where slots[slot] != nil { allocator.deallocate(slots[slot]) }
    return result
  }

  /// Fills the block with its slot's pattern when verifying; otherwise writes its first byte, if it has one.
  @inlinable
  @inline(__always)
  internal func write(_ block: UnsafeMutableRawPointer, slot: Int, count: Int, verifies: Bool) {
    let pattern = UInt8(truncatingIfNeeded: slot &* 31 &+ 7)
    if verifies {
      block.initializeMemory(as: UInt8.self, repeating: pattern, count: count)
    } else if count > 0 {
      block.storeBytes(of: pattern, as: UInt8.self)
    }
  }

  /// Whether every byte of the block still holds its slot's pattern.
  @inlinable
  @inline(__always)
  internal func holds(_ block: UnsafeMutableRawPointer, slot: Int, count: Int) -> Bool {
    let expected = UInt8(truncatingIfNeeded: slot &* 31 &+ 7)
    return UnsafeRawBufferPointer(start: block, count: count).allSatisfy { $0 == expected }
  }
}
