//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SystemBackend
import Testing

@testable import PymallocBackend

@Suite("pymalloc options beyond CPython: retained empty arenas, purging empty pools")
struct OptionsTests {
  /// Allocates `arenas` arenas' worth of full pools (63 per arena), frees them all, and returns the source.
  func fillAndEmpty(arenas: Int, options: PymallocOptions) throws -> (TestArenaSource, Int) {
    let source = TestArenaSource(placement: [4096])
    let heap = Heap(raw: SystemAllocator(), arenaSource: source.arenaSource, options: options)
    defer { heap.destroy() }
    var pools: [[UnsafeMutableRawPointer]] = []
    for _ in 0..<(63 * arenas) { pools.append(try allocateFullPool(heap)) }
    for pool in pools { pool.forEach(heap.deallocate) }
    #expect(heap._state.pointee.whollyFreeArenas == source.liveArenaCount)
    let totals = heap.reportTotals
    #expect(totals.total == totals.arenas * arenaSize)
    return (source, heap.statistics().extras["arenas reclaimed"] ?? -1)
  }

  @Test("retainedEmptyArenas keeps up to K wholly free arenas", arguments: [(0, 0), (1, 1), (3, 3), (9, 5)])
  func retainedArenas(retained: Int, kept: Int) throws {
    let (source, reclaimed) = try fillAndEmpty(arenas: 5, options: PymallocOptions(retainedEmptyArenas: retained))
    #expect(source.obtained.count == 5)
    #expect(source.liveArenaCount == 0)  // destroy returned the rest
    #expect(source.released.count == 5)
    #expect(reclaimed == 5 - kept)
  }

  @Test("an immediately purged pool reads as zeros, header included, and is re-initialised on reuse")
  func immediatePurge() throws {
    let source = TestArenaSource(placement: [4096])
    let heap = Heap(
      raw: SystemAllocator(), arenaSource: source.arenaSource, options: PymallocOptions(purge: .immediate))
    defer { heap.destroy() }
    let keeper = try #require(heap.allocate(byteCount: 512))  // keeps the arena holding live blocks
    let blocks = try (0..<1021).map { _ in try #require(heap.allocate(byteCount: 16)) }
    let pool = _Pool.containing(blocks[0])
    for block in blocks { memset(block, 0xEE, 16) }
    let deep = blocks[1000]  // far past the header's page
    blocks.forEach(heap.deallocate)
    #expect(heap.isPurged(pool))
    #expect(UnsafeRawPointer(pool).load(as: UInt64.self) == 0)
    #expect(deep.load(fromByteOffset: 8, as: UInt64.self) == 0)
    #expect(heap.statistics().extras["pools purged"] == 1)
    // Reused for the same class: initialised afresh, not through the discarded free list.
    let again = try (0..<1021).map { _ in try #require(heap.allocate(byteCount: 16)) }
    #expect(_Pool.containing(again[0]) == pool)
    #expect(poolOffset(again[0]) == 48 && poolOffset(again[1]) == 64)
    #expect(Set(again).count == 1021)
    for (index, block) in again.enumerated() { fill(block, byteCount: 16, seed: index) }
    for (index, block) in again.enumerated() { #expect(holdsPattern(block, byteCount: 16, seed: index)) }
    again.forEach(heap.deallocate)
    heap.deallocate(keeper)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("a pool purged at once is no longer marked reused (review finding 5)")
  func immediatePurgeClearsReuse() throws {
    let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(purge: .immediate))
    defer { heap.destroy() }
    // The first 16-byte pool empties while its arena is wholly free (kept, not purged), is taken again (reused),
    // then empties beside a 32-byte pool and is purged.
    heap.deallocate(try #require(heap.allocate(byteCount: 16)))
    let small = try #require(heap.allocate(byteCount: 16))
    let other = try #require(heap.allocate(byteCount: 32))
    heap.deallocate(small)
    let arena = try #require(heap._state.pointee.arenas)
    #expect(arena.pointee.purgedPools == 1)
    #expect(arena.pointee.reusedPools & arena.pointee.purgedPools == 0)
    heap.deallocate(other)
  }

  @Test("afterEmptyPools(3): every third emptied pool, the empty pools not reused since the last time are purged")
  func batchedPurge() throws {
    let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(purge: .afterEmptyPools(3)))
    defer { heap.destroy() }
    let keepers = try (0..<16).map { _ in try allocateFullPool(heap) }  // 16 of 63 or 64 pools stay used
    var pools = try (0..<5).map { _ in try allocateFullPool(heap) }
    let headers = pools.map { _Pool.containing($0[0]) }
    pools[0...1].joined().forEach(heap.deallocate)
    pools[1] = try allocateFullPool(heap)  // the most recently emptied pool is taken again…
    #expect(_Pool.containing(pools[1][0]) == headers[1] && heap.statistics().extras["pools purged"] == 0)
    pools[1].forEach(heap.deallocate)  // …and emptied again, the third: the policy acts and spares it
    #expect(heap.isPurged(headers[0]) && headers[0].pointee.count == 0 && !heap.isPurged(headers[1]))
    #expect(heap.statistics().extras["pools purged"] == 1)
    pools[2...4].joined().forEach(heap.deallocate)  // acts again: none was reused since, all four go
    #expect(headers.allSatisfy { heap.isPurged($0) && $0.pointee.sizeIndex == 0 })
    #expect(heap.statistics().extras["pools purged"] == 5)
    #expect(heap.reportTotals.total == heap.reportTotals.arenas * _Layout.arenaSize)
    // Purged pools serve another class correctly, lowest first.
    let reused = try (0..<(5 * 145)).map { _ in try #require(heap.allocate(byteCount: 100)) }
    let reusedPools = reused.map { _Pool.containing($0) }
    #expect(Set(reusedPools) == Set(headers) && reusedPools[0] == headers.min())
    for (index, block) in reused.enumerated() { fill(block, byteCount: 100, seed: index) }
    for (index, block) in reused.enumerated() { #expect(holdsPattern(block, byteCount: 100, seed: index)) }
    reused.forEach(heap.deallocate)
    keepers.joined().forEach(heap.deallocate)
  }

  @Test("an arena more than three quarters free is not purged: it is on its way to going back whole")
  func mostlyFreeArenaIsSpared() throws {
    let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(purge: .afterEmptyPools(3)))
    defer { heap.destroy() }
    let keeper = try allocateFullPool(heap)
    let pools = try (0..<3).map { _ in try allocateFullPool(heap) }
    pools.joined().forEach(heap.deallocate)
    #expect(heap.statistics().extras["pools purged"] == 0)
    keeper.forEach(heap.deallocate)
  }
}
