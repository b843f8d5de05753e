//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SystemBackend
import Testing

@testable import PymallocBackend

extension Tag {
  /// Long loops, run only with `SWIFTMALLOC_HEAVY_TESTS=1` (in a release build by `make test`).
  @Tag static var heavy: Tag
}

/// Whether heavy tests are enabled.
let heavyTestsEnabled = ProcessInfo.processInfo.environment["SWIFTMALLOC_HEAVY_TESTS"] == "1"

let arenaSize = 1 << 20
let poolSize = 1 << 14

/// A heap over glibc for tests.
typealias Heap = PymallocHeap<SystemAllocator>

/// xorshift64 with a fixed seed: deterministic test sequences.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64 = 88_172_645_463_325_252) { state = seed }
  mutating func next() -> UInt64 {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return state
  }
}

/// An arena source that counts calls, can fail chosen calls, and can place arenas at chosen offsets inside one
/// reserved region so that alignments are deterministic.
final class TestArenaSource {
  /// Addresses handed out, in order.
  private(set) var obtained: [UnsafeMutableRawPointer] = []
  /// Addresses taken back, in order.
  private(set) var released: [UnsafeMutableRawPointer] = []
  /// Arenas obtained and not yet released.
  private var held: Set<UnsafeMutableRawPointer> = []
  /// Calls to obtain so far (failed ones included).
  private(set) var obtainCalls = 0
  /// 1-based obtain calls that return nil.
  var failingCalls: Set<Int> = []
  /// Offsets from a 1 MiB-aligned slot for successive arenas (cycled); nil uses mmap directly.
  private let placement: [Int]?
  private var region: UnsafeMutableRawPointer?
  private var regionStart: UInt = 0
  private let regionBytes: Int
  private var nextSlot = 0

  /// - Parameter placement: offsets of arena bases from successive 2 MiB-spaced, 1 MiB-aligned slots.
  init(placement: [Int]? = nil, slots: Int = 64) {
    self.placement = placement
    regionBytes = (slots * 2 + 2) * arenaSize
    if placement != nil {
      let memory = mmap(nil, regionBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
      precondition(memory != MAP_FAILED)
      region = memory
      regionStart = (UInt(bitPattern: memory) + UInt(arenaSize - 1)) & ~UInt(arenaSize - 1)
    }
  }

  deinit {
    if let region { munmap(region, regionBytes) }
  }

  var arenaSource: ArenaSource {
    ArenaSource(
      obtain: { [unowned self] size in self.obtain(size) },
      release: { [unowned self] pointer, size in self.release(pointer, size) })
  }

  private func obtain(_ size: Int) -> UnsafeMutableRawPointer? {
    precondition(size == arenaSize)
    obtainCalls += 1
    if failingCalls.contains(obtainCalls) { return nil }
    let pointer: UnsafeMutableRawPointer
    if let placement {
      let offset = placement[nextSlot % placement.count]
      pointer = UnsafeMutableRawPointer(bitPattern: regionStart + UInt(nextSlot * 2 * arenaSize + offset))!
      nextSlot += 1
      memset(pointer, 0xA5, size)  // Garbage, as a host's memory may hold: pymalloc must not rely on zeroes.
    } else {
      guard let memory = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
        memory != MAP_FAILED
      else { return nil }
      pointer = memory
    }
    obtained.append(pointer)
    held.insert(pointer)
    return pointer
  }

  private func release(_ pointer: UnsafeMutableRawPointer, _ size: Int) {
    precondition(size == arenaSize)
    // `held`, not the histories: mmap may hand a released arena's address out again.
    precondition(held.remove(pointer) != nil, "release of an arena not held")
    released.append(pointer)
    if placement == nil { munmap(pointer, size) }
  }

  /// Arenas held right now.
  var liveArenaCount: Int { held.count }
}

/// Flips raw allocations to failure on demand.
final class FailSwitch: @unchecked Sendable {
  var failing = false
  /// When set, the call with this number (1-based, counting every allocating call) fails too.
  var failingCall: Int?
  private(set) var calls = 0

  /// Counts an allocating call and says whether it fails.
  func nextCallFails() -> Bool {
    calls += 1
    return failing || calls == failingCall
  }
}

/// glibc, except that allocation and reallocation fail while the switch is on, or at its chosen call.
struct FailingRawAllocator: Allocator {
  let failSwitch: FailSwitch
  let glibc = SystemAllocator()

  var name: String { "failing-malloc" }
  var isThreadSafe: Bool { false }
  func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
    failSwitch.nextCallFails() ? nil : glibc.allocate(byteCount: byteCount)
  }
  func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? {
    failSwitch.nextCallFails() ? nil : glibc.allocateZeroed(count: count, stride: stride)
  }
  func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? {
    failSwitch.nextCallFails() ? nil : glibc.reallocate(pointer, byteCount: byteCount)
  }
  func deallocate(_ pointer: UnsafeMutableRawPointer?) { glibc.deallocate(pointer) }
  func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    failSwitch.nextCallFails() ? nil : glibc.allocate(byteCount: byteCount, alignment: alignment)
  }
  func usableSize(of pointer: UnsafeMutableRawPointer) -> Int { glibc.usableSize(of: pointer) }
  func statistics() -> AllocatorStatistics { glibc.statistics() }
}

/// The offset of `pointer` inside its 16 KiB pool.
func poolOffset(_ pointer: UnsafeRawPointer) -> Int {
  Int(UInt(bitPattern: pointer) & UInt(poolSize - 1))
}

/// The pool holding `pointer`.
func poolBase(_ pointer: UnsafeMutableRawPointer) -> UInt {
  UInt(bitPattern: pointer) & ~UInt(poolSize - 1)
}

/// Fills `byteCount` bytes with a pattern derived from `seed`.
func fill(_ pointer: UnsafeMutableRawPointer, byteCount: Int, seed: Int) {
  for index in 0..<byteCount {
    pointer.storeBytes(of: UInt8(truncatingIfNeeded: seed &* 31 &+ index), toByteOffset: index, as: UInt8.self)
  }
}

/// Whether `byteCount` bytes still hold the pattern of `seed`.
func holdsPattern(_ pointer: UnsafeRawPointer, byteCount: Int, seed: Int) -> Bool {
  (0..<byteCount).allSatisfy {
    pointer.load(fromByteOffset: $0, as: UInt8.self) == UInt8(truncatingIfNeeded: seed &* 31 &+ $0)
  }
}

extension PymallocHeap {
  /// The report's breakdown Total and the arena count, for the invariant Total == arenas × 1 MiB.
  var reportTotals: (total: Int, arenas: Int, pools: Int, headers: Int) {
    let census = _census()
    return (census.breakdownTotal, census.arenaCount, census.usedPools, census.poolHeaderBytes)
  }

  /// Whether `pool` is marked purged in its arena's bitmap.
  func isPurged(_ pool: _Pool) -> Bool {
    _state.pointee.attachedArenas.contains { arena in
      let inArena = UnsafeMutableRawPointer(pool) >= arena._firstPool && arena._index(of: pool) < 64
      return inArena && arena._isPurged(poolAt: arena._index(of: pool))
    }
  }

  /// The usable list as (descriptor, free pools), head first.
  var usableArenaOrder: [(arena: _Arena, freePools: Int)] {
    var result: [(_Arena, Int)] = []
    var arena = _state.pointee.usableArenas
    while let current = arena {
      result.append((current, current.pointee.freePoolCount))
      arena = current.pointee.nextArena
    }
    return result
  }

  /// The base of this heap's arena holding `pointer`, from the arena descriptors.
  func arenaBase(of pointer: UnsafeRawPointer) -> UInt? {
    var base: UInt?
    _state.pointee.forEachAttachedArena { arena in
      let start = UInt(bitPattern: arena.pointee.address)
      if (start..<start + UInt(_Layout.arenaSize)).contains(UInt(bitPattern: pointer)) { base = start }
    }
    return base
  }

  /// Whether the arena map records `pointer` as inside one of this heap's arenas.
  func owns(_ pointer: UnsafeRawPointer) -> Bool {
    _ArenaMap.owner(of: pointer) == _state.pointee.heapID
  }
}
