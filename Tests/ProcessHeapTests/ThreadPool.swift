//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation
import SwiftMallocCABI

/// A block of one family with the pattern it was filled with.
struct FamilyBlock: @unchecked Sendable {
  var pointer: UnsafeMutableRawPointer
  var size: Int
  var family: Int

  var expected: UInt8 { UInt8(truncatingIfNeeded: size &* 7 &+ family) }

  static func allocate(family: Int, size: Int) -> FamilyBlock? {
    let pointer = family == 0 ? sm_raw_malloc(size) : family == 1 ? sm_mem_malloc(size) : sm_object_malloc(size)
    guard let pointer else { return nil }
    let block = FamilyBlock(pointer: pointer, size: size, family: family)
    block.fill()
    return block
  }

  func fill() { pointer.initializeMemory(as: UInt8.self, repeating: expected, count: size) }

  var isIntact: Bool { UnsafeRawBufferPointer(start: pointer, count: size).allSatisfy { $0 == expected } }

  /// Resizes through the family's realloc and refills; `nil` if refused (the block is then unchanged).
  func reallocated(to newSize: Int) -> FamilyBlock? {
    let moved =
      family == 0
      ? sm_raw_realloc(pointer, newSize) : family == 1 ? sm_mem_realloc(pointer, newSize) : sm_object_realloc(pointer, newSize)
    guard let moved else { return nil }
    let block = FamilyBlock(pointer: moved, size: newSize, family: family)
    block.fill()
    return block
  }

  func free() {
    if family == 0 { sm_raw_free(pointer) } else if family == 1 { sm_mem_free(pointer) } else { sm_object_free(pointer) }
  }
}

/// Threads doing mixed operations on the process heap, a third of the frees handed to another thread through a
/// shared mailbox; every block is verified before it is freed or resized.
final class ThreadPool: @unchecked Sendable {
  let threads: Int
  let operationsPerThread: Int
  private let lock = NSLock()
  private var mailbox: [FamilyBlock] = []
  private var counters = (corrupted: 0, crossThreadFrees: 0, refused: 0)
  private let finished = DispatchGroup()

  init(threads: Int, operationsPerThread: Int) {
    self.threads = threads
    self.operationsPerThread = operationsPerThread
  }

  /// Starts the threads; `wait()` joins them.
  func start() {
    for index in 0..<threads {
      finished.enter()
      let thread = Thread { [self] in
        work(seed: 88_172_645_463_325_252 ^ UInt64(index + 1))
        finished.leave()
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
  }

  /// Joins the threads, frees what the mailbox still holds, and returns the counters.
  func wait() -> (corrupted: Int, crossThreadFrees: Int, refused: Int) {
    finished.wait()
    for block in mailbox { release(block) }
    mailbox.removeAll()
    return lock.withLock { counters }
  }

  private func count(_ update: (inout (corrupted: Int, crossThreadFrees: Int, refused: Int)) -> Void) {
    lock.withLock { update(&counters) }
  }

  private func release(_ block: FamilyBlock) {
    if !block.isIntact { count { $0.corrupted += 1 } }
    block.free()
  }

  private func work(seed: UInt64) {
    var x = seed
    var slots = [FamilyBlock?](repeating: nil, count: 256)
    for operation in 0..<operationsPerThread {
      x ^= x << 13
      x ^= x >> 7
      x ^= x << 17
      let slot = Int(x % 256)
      if let block = slots[slot] {
        slots[slot] = nil
        if (x >> 24) % 4 == 0 {
          if !block.isIntact { count { $0.corrupted += 1 } }
          slots[slot] = block.reallocated(to: 1 + Int((x >> 32) % 600)) ?? block
        } else if (x >> 40) % 3 == 0 {
          lock.withLock { mailbox.append(block) }
        } else {
          release(block)
        }
      } else {
        slots[slot] = FamilyBlock.allocate(family: Int((x >> 8) % 3), size: 1 + Int((x >> 16) % 600))
        if slots[slot] == nil { count { $0.refused += 1 } }
      }
      if operation % 3 == 0, let other = lock.withLock({ mailbox.popLast() }) {
        release(other)
        count { $0.crossThreadFrees += 1 }
      }
    }
    for case let block? in slots { release(block) }
  }
}
