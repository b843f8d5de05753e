//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Pymalloc
  import AllocatorCore

  /// Runs one ``FreedMemoryProgram`` on one heap and checks, after every step, that no write into freed memory
  /// did harm: every block handed out is a 16-byte aligned block start that overlaps no live block, and every
  /// live block keeps the pattern it was filled with.
  ///
  /// A write goes only into a block that is still free by the program's own account: freed, and not inside any
  /// block handed out since (its pool may have gone to another class). Wholly free arenas must stay mapped.
  struct _FreedMemoryExecution<Heap: _ClassifyingHeap> {
    let heap: Heap
    private var slots: [(block: UnsafeMutableRawPointer, size: Int, pattern: UInt8)?]
    private var freed: [UnsafeMutableRawPointer] = []
    private var step = 0
    private(set) var outcome = FreedMemoryOutcome()

    init(heap: Heap) {
      self.heap = heap
      slots = Array(repeating: nil, count: FreedMemoryProgram.slotCount)
    }

    mutating func run(_ program: FreedMemoryProgram) {
      for (number, programStep) in program.steps.enumerated() {
        step = number
        switch programStep {
        case .allocate(let size, let slot): allocate(size: size, into: slot)
        case .free(let slot): free(slot: slot)
        case .write(let recency, let write): self.write(write, intoFreed: recency)
        }
      }
      step = program.steps.count
      for slot in slots.indices { free(slot: slot) }
    }

    /// The bytes of a block of `size` bytes: its size class.
    private static func blockSize(_ size: Int) -> Int { (size + 15) & ~15 }

    private mutating func allocate(size: Int, into slot: Int) {
      free(slot: slot)
      guard let block = heap.allocate(byteCount: size) else { return violate("a valid \(size)-byte request refused") }
      let blockEnd = block + Self.blockSize(size)
      // A block that breaks a promise is recorded and left alone: freeing it would only compound the harm.
      guard Int(bitPattern: block) % 16 == 0 else { return violate("\(block) is not 16-byte aligned") }
      guard heap.ownership(of: block) == .blockStart else { return violate("\(block) is not a block start") }
      if let live = liveBlock(overlapping: block, blockEnd) {
        return violate("\(block) handed out over the live block \(live)")
      }
      freed.removeAll { $0 >= block && $0 < blockEnd }
      let pattern = UInt8(truncatingIfNeeded: step &* 31 &+ slot)
      block.initializeMemory(as: UInt8.self, repeating: pattern, count: size)
      slots[slot] = (block, size, pattern)
    }

    private mutating func free(slot: Int) {
      guard let (block, size, pattern) = slots[slot] else { return }
      if UnsafeRawBufferPointer(start: block, count: size).contains(where: { $0 != pattern }) {
        violate("the live block \(block) was overwritten")
      }
      slots[slot] = nil
      heap.deallocate(block)
      freed.append(block)
      if freed.count > 64 { freed.removeFirst() }
    }

    private mutating func write(_ write: FreedMemoryWrite, intoFreed recency: Int) {
      guard let block = freedBlock(recency), liveBlock(overlapping: block, block + 1) == nil else { return }
      switch write {
      case .byte(let offset, let value):
        block.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
      case .liveAddress(let offset, let slot, let delta):
        guard let live = slots[slot] else { return }
        block.storeBytes(of: UInt(bitPattern: live.block + delta), toByteOffset: offset, as: UInt.self)
      case .freedWord(let offset, let recency):
        guard let other = freedBlock(recency) else { return }
        block.storeBytes(of: other.load(fromByteOffset: offset, as: UInt.self), toByteOffset: offset, as: UInt.self)
      case .word(let offset, let value):
        block.storeBytes(of: value, toByteOffset: offset, as: UInt.self)
      }
      outcome.writes += 1
    }

    private func freedBlock(_ recency: Int) -> UnsafeMutableRawPointer? {
      recency < freed.count ? freed[freed.count - 1 - recency] : nil
    }

    /// The live block that shares a byte with `start ..< end`, if any.
    private func liveBlock(
      overlapping start: UnsafeMutableRawPointer, _ end: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer? {
      for case let (block, size, _)? in slots where block < end && start < block + Self.blockSize(size) {
        return block
      }
      return nil
    }

    private mutating func violate(_ problem: String) {
      outcome.violations.append("\(heap.name), step \(step): \(problem)")
    }
  }
#endif
