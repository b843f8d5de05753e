//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The live-block table of one ``FuzzExecution`` and the checks made on each call.
struct _FuzzState<Set: AllocatorSet> {
  struct Block {
    var pointer: UnsafeMutableRawPointer
    var size: Int
    var family: Family
    var seed: Int
  }

  let set: Set
  var outcome: FuzzOutcome
  var number = 0
  private var slots = [Block?](repeating: nil, count: FuzzProgram.slotCount)

  init(set: Set, outcome: FuzzOutcome) {
    self.set = set
    self.outcome = outcome
  }

  mutating func violate(_ problem: String) {
    outcome.violations.append("\(outcome.backend) operation \(number): \(problem)")
  }

  /// Applies `operation`; returns whether it handed out a block.
  mutating func apply(_ operation: FuzzOperation) -> Bool {
    switch operation.kind {
    case .free:
      release(slot: operation.slot)
      return false
    case .reallocate(let size):
      return reallocate(slot: operation.slot, size: size, mustFail: operation.mustFail)
    default:
      release(slot: operation.slot)
      let pointer = _FamilyCall.allocate(operation.kind, family: operation.family, in: set)
      guard check(pointer, of: operation) else { return false }
      let size = operation.kind.requestedSize
      if case .allocateZeroed = operation.kind, !isZero(pointer!, size) { violate("zeroed block is not zero") }
      store(Block(pointer: pointer!, size: size, family: operation.family, seed: seed()), in: operation.slot)
      return true
    }
  }

  /// Whether `pointer` is a block to keep; reports a refused valid call, an accepted invalid one, a misaligned or
  /// short block. An accepted invalid call is freed at once.
  private mutating func check(_ pointer: UnsafeMutableRawPointer?, of operation: FuzzOperation) -> Bool {
    switch (pointer, operation.mustFail) {
    case (nil, true):
      return false
    case (nil, false):
      violate("refused a valid \(operation.kind)")
      return false
    case (let pointer?, true):
      violate("accepted an invalid \(operation.kind)")
      _FamilyCall.deallocate(pointer, family: operation.family, in: set)
      return false
    case (let pointer?, false):
      let alignment = max(AllocationLimits.minimumAlignment, operation.kind.requestedAlignment)
      if Int(bitPattern: pointer) % alignment != 0 { violate("\(pointer) is not \(alignment)-aligned") }
      let usable = _FamilyCall.usableSize(pointer, family: operation.family, in: set)
      if usable < operation.kind.requestedSize { violate("usable size \(usable) < \(operation.kind)") }
      return true
    }
  }

  private mutating func reallocate(slot: Int, size: Int, mustFail: Bool) -> Bool {
    guard let block = slots[slot] else {
      let operation = FuzzOperation(kind: .reallocate(size: size), family: .mem, slot: slot)
      let pointer = _FamilyCall.allocate(operation.kind, family: .mem, in: set)
      guard check(pointer, of: operation) else { return false }
      store(Block(pointer: pointer!, size: size, family: .mem, seed: seed()), in: slot)
      return true
    }
    verify(block, count: block.size, when: "before reallocation")
    let operation = FuzzOperation(kind: .reallocate(size: size), family: block.family, slot: slot)
    let pointer = _FamilyCall.reallocate(block.pointer, size: size, family: block.family, in: set)
    guard check(pointer, of: operation) else {
      verify(block, count: block.size, when: "after a refused reallocation")
      return false
    }
    var moved = block
    moved.pointer = pointer!
    verify(moved, count: min(block.size, size), when: "after reallocation")
    store(Block(pointer: pointer!, size: size, family: block.family, seed: seed()), in: slot)
    return true
  }

  mutating func releaseAll() {
    for slot in slots.indices { release(slot: slot) }
  }

  private mutating func release(slot: Int) {
    guard let block = slots[slot] else {
      _FamilyCall.deallocate(nil, family: .object, in: set)
      return
    }
    verify(block, count: block.size, when: "before free")
    _FamilyCall.deallocate(block.pointer, family: block.family, in: set)
    slots[slot] = nil
  }

  private func seed() -> Int { number &* 131 }

  private mutating func store(_ block: Block, in slot: Int) {
    for index in 0..<block.size { block.pointer.storeBytes(of: Self.byte(block, index), toByteOffset: index, as: UInt8.self) }
    slots[slot] = block
  }

  private mutating func verify(_ block: Block, count: Int, when: String) {
    for index in 0..<count where block.pointer.load(fromByteOffset: index, as: UInt8.self) != Self.byte(block, index) {
      violate("\(block.family.name) block of \(block.size) bytes damaged at byte \(index) \(when)")
      return
    }
  }

  private func isZero(_ pointer: UnsafeMutableRawPointer, _ count: Int) -> Bool {
    UnsafeRawBufferPointer(start: pointer, count: count).allSatisfy { $0 == 0 }
  }

  private static func byte(_ block: Block, _ index: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: block.seed &+ index &* 13 &+ index >> 8)
  }
}

extension FuzzOperation.Kind {
  /// The bytes the caller may use in the block (0 for a free).
  var requestedSize: Int {
    switch self {
    case .allocate(let size), .reallocate(let size), .allocateAligned(let size, _): size
    case .allocateZeroed(let count, let stride): count &* stride
    case .free: 0
    }
  }

  /// The alignment asked for (1 when none is).
  var requestedAlignment: Int {
    if case .allocateAligned(_, let alignment) = self { alignment } else { 1 }
  }
}
