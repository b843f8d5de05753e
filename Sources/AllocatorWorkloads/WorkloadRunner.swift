//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// Runs the spec's workloads on one allocator with a fixed set of request sizes.
public struct WorkloadRunner<A: Allocator> {
  /// The allocator under test.
  public let allocator: A
  /// The CPython-like sizes, one per object.
  public let sizes: [Int]
  /// The fixed shuffled free order of `batch` (a permutation of `sizes.indices`).
  public let shuffledOrder: [Int]
  /// Where the workloads keep their live blocks, resident from the start.
  @usableFromInline
  internal let blocks: _BlockTable

  /// Draws `objects` sizes and the shuffled order once, before any timing, and makes the block table resident:
  /// large enough for `workload`, or for every workload when `nil`.
  @inlinable
  public init(allocator: A, objects: Int, workload: Workload? = nil) {
    self.allocator = allocator
    sizes = SizeMix.sizes(count: objects)
    let workloads = workload.map { [$0] } ?? Workload.allCases
    blocks = _BlockTable(capacity: workloads.map { $0.liveBlockCapacity(objects: objects) }.max() ?? 0)
    var generator = XorShift64(seed: XorShift64.specSeed ^ 0x5DEECE66D)
    var order = Array(0..<objects)
    for index in stride(from: order.count - 1, to: 0, by: -1) {
      order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
    }
    shuffledOrder = order
  }

  /// The N values `scale` visits for a run of `objects`: 10⁴ … 10⁷, up to 10 × `objects` (so the default
  /// N = 10⁶ reaches 10⁷ and small test runs stay small).
  @inlinable
  public static func scaleSteps(objects: Int) -> [Int] {
    [10_000, 100_000, 1_000_000, 10_000_000].filter { $0 <= max(10 * objects, 10_000) }
  }

  /// Runs `workload` once. `scale` is run per step by ``runChurn(liveSlots:steps:)``.
  ///
  /// - Precondition: `workload` is not threaded (those run on ``ThreadedWorkloadRunner``).
  @inlinable
  public func run(_ workload: Workload) -> WorkloadMeasurement {
    switch workload {
    case .threadsLocal, .threadsRemote, .threadsLarson:
      preconditionFailure("\(workload.rawValue) runs on several threads: use ThreadedWorkloadRunner")
    case .pair: runPair()
    case .batch: runBatch()
    case .churn, .scale: runChurn(liveSlots: max(1, sizes.count / 10), steps: 4 * sizes.count)
    case .realloc: runRealloc()
    case .phase: runPhase()
    }
  }

  /// Allocates, touches one byte, frees, for every size.
  @inlinable
  public func runPair() -> WorkloadMeasurement {
    let start = MonotonicClock.nanoseconds()
    for size in sizes {
      guard let block = allocator.allocate(byteCount: size) else { continue }
      block.storeBytes(of: 1, as: UInt8.self)
      allocator.deallocate(block)
    }
    return WorkloadMeasurement(operations: sizes.count, nanoseconds: MonotonicClock.nanoseconds() - start)
  }

  /// Three rounds of allocate-all then free-all in the shuffled order.
  @inlinable
  public func runBatch() -> WorkloadMeasurement {
    let blocks = blocks.slots(count: sizes.count)
    let start = MonotonicClock.nanoseconds()
    for _ in 0..<3 {
      for (index, size) in sizes.enumerated() {
        let block = allocator.allocate(byteCount: size)
        block?.storeBytes(of: 1, as: UInt8.self)
        blocks[index] = block
      }
      for index in shuffledOrder { allocator.deallocate(blocks[index]) }
    }
    return WorkloadMeasurement(operations: 6 * sizes.count, nanoseconds: MonotonicClock.nanoseconds() - start)
  }

  /// `liveSlots` live blocks; `steps` times free a generator-picked slot and allocate into it; then free the rest.
  @inlinable
  public func runChurn(liveSlots: Int, steps: Int) -> WorkloadMeasurement {
    let slots = blocks.slots(count: liveSlots)
    var generator = XorShift64()
    let count = sizes.count
    let start = MonotonicClock.nanoseconds()
    for slot in 0..<liveSlots {
      let block = allocator.allocate(byteCount: sizes[slot % count])
      block?.storeBytes(of: 1, as: UInt8.self)
      slots[slot] = block
    }
    for step in 0..<steps {
      let slot = Int(generator.next() % UInt64(liveSlots))
      allocator.deallocate(slots[slot])
      let block = allocator.allocate(byteCount: sizes[step % count])
      block?.storeBytes(of: 1, as: UInt8.self)
      slots[slot] = block
    }
    for slot in 0..<liveSlots { allocator.deallocate(slots[slot]) }
    let operations = 2 * liveSlots + 2 * steps
    return WorkloadMeasurement(operations: operations, nanoseconds: MonotonicClock.nanoseconds() - start)
  }

  /// N/64 blocks, each grown 8 → 512 bytes by reallocation in steps of 8, then freed.
  @inlinable
  public func runRealloc() -> WorkloadMeasurement {
    let rounds = max(1, sizes.count / 64)
    let start = MonotonicClock.nanoseconds()
    for _ in 0..<rounds {
      var block: UnsafeMutableRawPointer?
      for size in stride(from: 8, through: 512, by: 8) {
        guard let grown = allocator.reallocate(block, byteCount: size) else { break }
        grown.storeBytes(of: 1, as: UInt8.self)
        block = grown
      }
      allocator.deallocate(block)
    }
    return WorkloadMeasurement(operations: rounds * 64, nanoseconds: MonotonicClock.nanoseconds() - start)
  }

  /// Long-lived small blocks stay while the larger temporaries go; RSS is read at that point.
  @inlinable
  public func runPhase() -> WorkloadMeasurement {
    let count = sizes.count
    let blocks = blocks.slots(count: count + count / 2)
    var timed: UInt64 = 0
    var start = MonotonicClock.nanoseconds()
    for (index, size) in sizes.enumerated() {
      let block = allocator.allocate(byteCount: size)
      block?.storeBytes(of: 1, as: UInt8.self)
      blocks[index] = block
    }
    for (index, size) in sizes.enumerated() where size > 64 {
      allocator.deallocate(blocks[index])
      blocks[index] = nil
    }
    timed += MonotonicClock.nanoseconds() - start
    let retained = ProcessMemory.current().residentBytes
    start = MonotonicClock.nanoseconds()
    for index in 0..<count / 2 {
      let block = allocator.allocate(byteCount: min(sizes[index], 64))
      block?.storeBytes(of: 1, as: UInt8.self)
      blocks[count + index] = block
    }
    for index in 0..<(count + count / 2) where blocks[index] != nil { allocator.deallocate(blocks[index]) }
    timed += MonotonicClock.nanoseconds() - start
    // Every block allocated (N + N/2) is freed once.
    let operations = 2 * (count + count / 2)
    return WorkloadMeasurement(operations: operations, nanoseconds: timed, retainedResidentBytes: retained)
  }
}
