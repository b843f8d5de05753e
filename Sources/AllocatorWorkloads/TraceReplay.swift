//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The outcome of replaying an ``MtraceLog`` on one allocator.
public struct ReplayResult: Codable, Sendable {
  /// Calls replayed.
  public var operations: Int
  /// Wall time of the replay, including the pattern fill and check of every block.
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

/// Replays a log: every block is filled with a pattern of its slot, verified before its free or reallocation.
public struct TraceReplay<A: Allocator> {
  /// The allocator under test.
  public let allocator: A

  /// Replays on `allocator`.
  @inlinable
  public init(allocator: A) { self.allocator = allocator }

  /// Replays `log`; `damage`, a test hook, runs after operation `damage.operation` with the live block table.
  @inlinable
  public func run(_ log: MtraceLog, damage: (operation: Int, body: (UnsafeMutableRawPointer) -> Void)? = nil)
    -> ReplayResult
  {
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
        fill(block, slot: slot, count: operation.size)
        slots[slot] = block
        sizes[slot] = operation.size
        liveBytes += operation.size
      case .free:
        guard let block = slots[slot] else { continue }
        if !holds(block, slot: slot, count: sizes[slot]) { result.corruptedOperations.append(number) }
        allocator.deallocate(block)
        slots[slot] = nil
        liveBytes -= sizes[slot]
      case .reallocate:
        guard let block = slots[slot] else { continue }
        if !holds(block, slot: slot, count: sizes[slot]) { result.corruptedOperations.append(number) }
        guard let moved = allocator.reallocate(block, byteCount: operation.size) else {
          result.failedOperations += 1
          continue
        }
        fill(moved, slot: slot, count: operation.size)
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

  @inlinable
  @inline(__always)
  internal func fill(_ block: UnsafeMutableRawPointer, slot: Int, count: Int) {
    block.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: slot &* 31 &+ 7), count: count)
  }

  @inlinable
  @inline(__always)
  internal func holds(_ block: UnsafeMutableRawPointer, slot: Int, count: Int) -> Bool {
    let expected = UInt8(truncatingIfNeeded: slot &* 31 &+ 7)
    return UnsafeRawBufferPointer(start: block, count: count).allSatisfy { $0 == expected }
  }
}
