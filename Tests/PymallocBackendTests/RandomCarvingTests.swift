//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

/// The random carving order (`SWIFTMALLOC_RANDOM_CARVING`): a fresh pool handed out in a random order, each of its
/// blocks once, on both heaps, hardened or not; CPython's address order when off.
@Suite("random carving: a fresh pool's blocks in a random order, each once, on both heaps")
struct RandomCarvingTests {
  /// The class of 48-byte blocks: 340 blocks per pool.
  static let byteCount = 48
  static let blocksPerPool = (poolSize - 48) / byteCount

  @Test("SWIFTMALLOC_RANDOM_CARVING=1 turns it on, 0 and unset leave it off")
  func option() {
    #expect(PymallocOptions.fromEnvironment(["SWIFTMALLOC_RANDOM_CARVING": "1"]).carvesInRandomOrder)
    #expect(!PymallocOptions.fromEnvironment(["SWIFTMALLOC_RANDOM_CARVING": "0"]).carvesInRandomOrder)
    #expect(!PymallocOptions.fromEnvironment([:]).carvesInRandomOrder)
    #expect(!PymallocOptions().carvesInRandomOrder)
  }

  @Test("on: the first 64 blocks of a fresh pool are not in address order, and differ between two heaps")
  func randomOrder() throws {
    let first = try firstOffsets(options: PymallocOptions(carvesInRandomOrder: true))
    let second = try firstOffsets(options: PymallocOptions(carvesInRandomOrder: true))
    #expect(first != first.sorted())
    #expect(first != second, "each heap seeds its own generator (equal with a chance of about 340⁻⁶⁴)")
  }

  @Test("off: the first 64 blocks of a fresh pool are in address order, one block apart")
  func addressOrderWhenOff() throws {
    let offsets = try firstOffsets(options: PymallocOptions())
    #expect(offsets == Array(stride(from: 48, to: 48 + 64 * Self.byteCount, by: Self.byteCount)))
  }

  @Test("on: every block of the pool is handed out once before a second pool is used", arguments: [false, true])
  func wholePoolOnce(hardened: Bool) throws {
    let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(hardened: hardened, carvesInRandomOrder: true))
    defer { heap.destroy() }
    let blocks = try (0..<Self.blocksPerPool).map { _ in try #require(heap.allocate(byteCount: Self.byteCount)) }
    expectOnePoolOnce(blocks, ownership: heap.ownership(of:))
    let next = try #require(heap.allocate(byteCount: Self.byteCount))
    #expect(UInt(bitPattern: next) & ~UInt(poolSize - 1) != UInt(bitPattern: blocks[0]) & ~UInt(poolSize - 1))
    heap.deallocate(next)
    blocks.forEach(heap.deallocate)
  }

  @Test("on: the statistics count the same blocks and bytes as CPython's order", arguments: [1, 100, 339, 340])
  func statisticsUnchanged(allocated: Int) throws {
    func extras(_ options: PymallocOptions) throws -> [String: Int] {
      let heap = Heap(raw: SystemAllocator(), options: options)
      defer { heap.destroy() }
      let blocks = try (0..<allocated).map { _ in try #require(heap.allocate(byteCount: Self.byteCount)) }
      defer { blocks.forEach(heap.deallocate) }
      return heap.statistics().extras
    }
    let (plain, random) = (try extras(PymallocOptions()), try extras(PymallocOptions(carvesInRandomOrder: true)))
    #expect(random["bytes in available blocks"] == (Self.blocksPerPool - allocated) * Self.byteCount)
    #expect(random["bytes in allocated blocks"] == plain["bytes in allocated blocks"])
    #expect(random["bytes in available blocks"] == plain["bytes in available blocks"])
    #expect(random["pools in use"] == plain["pools in use"])
  }

  @Test("on and hardened: free/allocate cycles over many classes report no corruption; a double free still does")
  func hardenedCycles() throws {
    let log = CorruptionLog()
    let options = PymallocOptions(
      hardened: true, corruptionHandler: { log.reports.append($0) }, carvesInRandomOrder: true)
    let heap = Heap(raw: SystemAllocator(), options: options)
    defer { heap.destroy() }
    var generator = SeededGenerator()
    var live: [UnsafeMutableRawPointer] = []
    for _ in 0..<20_000 {
      if live.isEmpty || Int.random(in: 0..<3, using: &generator) != 0 {
        let block = try #require(heap.allocate(byteCount: Int.random(in: 1...512, using: &generator)))
        #expect(heap.ownership(of: block) == .blockStart)
        live.append(block)
      } else {
        heap.deallocate(live.remove(at: Int.random(in: 0..<live.count, using: &generator)))
      }
    }
    #expect(Set(live).count == live.count)
    live.forEach(heap.deallocate)
    #expect(log.reports.isEmpty, "\(log.reports)")
    let block = try #require(heap.allocate(byteCount: 100))
    heap.deallocate(block)
    heap.deallocate(block)
    #expect(log.reports.map(\.kind) == [.doubleFree])
  }

  @Test("on, purged or kept: a pool initialised again is carved again in random order, each block once")
  func purgedAndKeptPools() throws {
    for options in [
      PymallocOptions(purge: .immediate, carvesInRandomOrder: true),
      PymallocOptions(keepsEmptyPoolPerClass: true, carvesInRandomOrder: true),
    ] {
      let heap = Heap(raw: SystemAllocator(), options: options)
      defer { heap.destroy() }
      let holder = try #require(heap.allocate(byteCount: 400))  // keeps the arena in use
      for byteCount in [Self.byteCount, 64, Self.byteCount] {
        let count = (poolSize - 48) / byteCount
        let blocks = try (0..<count).map { _ in try #require(heap.allocate(byteCount: byteCount)) }
        expectOnePoolOnce(blocks, ownership: heap.ownership(of:))
        blocks.forEach(heap.deallocate)
      }
      heap.deallocate(holder)
    }
  }

  @Test("on, concurrent heap: a pool's blocks once each in random order, freed from another thread and reused")
  func concurrentHeap() throws {
    for hardened in [false, true] {
      let heap = ConcurrentHeap(
        raw: SystemAllocator(), options: PymallocOptions(hardened: hardened, carvesInRandomOrder: true))
      defer { heap.destroy() }
      let blocks = try (0..<Self.blocksPerPool).map { _ in try #require(heap.allocate(byteCount: Self.byteCount)) }
      expectOnePoolOnce(blocks, ownership: heap.ownership(of:))
      #expect(blocks.map(UInt.init(bitPattern:)) != blocks.map(UInt.init(bitPattern:)).sorted())
      let addresses = blocks.map { UInt(bitPattern: $0) }
      onNewThreads(1) { _ in
        for address in addresses { heap.deallocate(UnsafeMutableRawPointer(bitPattern: address)) }
      }
      let again = try (0..<Self.blocksPerPool).map { _ in try #require(heap.allocate(byteCount: Self.byteCount)) }
      #expect(Set(again).count == again.count)
      again.forEach(heap.deallocate)
    }
  }

  /// The offsets in their pool of the first 64 blocks a fresh heap with `options` hands out for ``byteCount``.
  func firstOffsets(options: PymallocOptions) throws -> [Int] {
    let heap = Heap(raw: SystemAllocator(), options: options)
    defer { heap.destroy() }
    let blocks = try (0..<64).map { _ in try #require(heap.allocate(byteCount: Self.byteCount)) }
    defer { blocks.forEach(heap.deallocate) }
    return blocks.map { Int(bitPattern: $0) & (poolSize - 1) }
  }

  /// Expects `blocks` to be a whole pool's blocks: distinct block starts of one pool.
  func expectOnePoolOnce(
    _ blocks: [UnsafeMutableRawPointer], ownership: (UnsafeRawPointer) -> BlockOwnership
  ) {
    #expect(Set(blocks).count == blocks.count)
    #expect(Set(blocks.map { UInt(bitPattern: $0) & ~UInt(poolSize - 1) }).count == 1)
    #expect(blocks.allSatisfy { ownership($0) == .blockStart })
  }
}
