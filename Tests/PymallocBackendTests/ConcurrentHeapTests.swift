//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CPymallocShim
import Foundation
import SystemBackend
import Testing

@testable import PymallocBackend

#if canImport(Glibc)
  import Glibc
#endif

/// The concurrent heap over glibc for tests.
typealias ConcurrentHeap = ConcurrentPymallocHeap<SystemAllocator>

/// Runs `body(index)` on `count` new threads, each of which ends when its body returns, and waits for them all.
func onNewThreads(_ count: Int, _ body: @escaping (Int) -> Void) {
  final class Work {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }
  var threads: [pthread_t] = []
  for index in 0..<count {
    let work = Unmanaged.passRetained(Work { body(index) }).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { context in
      let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
      work.body()
      return nil
    }, work)
    precondition(status == 0, "pthread_create: \(status)")
    threads.append(thread)
  }
  for thread in threads { pthread_join(thread, nil) }
}

/// Blocks handed between threads, each with the seed of its pattern.
final class Handoff: @unchecked Sendable {
  private var lock = pthread_mutex_t()
  private var blocks: [(pointer: UnsafeMutableRawPointer, seed: Int)] = []
  init() { pthread_mutex_init(&lock, nil) }
  func put(_ pointer: UnsafeMutableRawPointer, seed: Int) {
    pthread_mutex_lock(&lock)
    blocks.append((pointer, seed))
    pthread_mutex_unlock(&lock)
  }
  func takeAll() -> [(pointer: UnsafeMutableRawPointer, seed: Int)] {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    defer { blocks = [] }
    return blocks
  }
}

@Suite("The concurrent pymalloc: a heap per thread, frees from any thread, thread exit, fork")
struct ConcurrentHeapTests {
  @Test("blocks allocated on one thread and freed on another keep their contents; every block comes back")
  func crossThreadFrees() {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    let handoffs = (0..<4).map { _ in Handoff() }
    let failures = Handoff()
    onNewThreads(4) { index in
      var generator = SeededGenerator(seed: UInt64(index + 1))
      for round in 0..<50 {
        for step in 0..<200 {
          let size = Int(generator.next() % 600) + 1
          let seed = index * 1_000_000 + round * 1000 + step
          guard let block = heap.allocate(byteCount: size) else { return failures.put(UnsafeMutableRawPointer(bitPattern: 1)!, seed: seed) }
          fill(block, byteCount: min(size, 64), seed: seed)
          handoffs[(index + 1) % 4].put(block, seed: seed * 1000 + min(size, 64))
        }
        for (block, tag) in handoffs[index].takeAll() {
          if !holdsPattern(block, byteCount: tag % 1000, seed: tag / 1000) {
            failures.put(block, seed: tag)
          }
          heap.deallocate(block)
        }
      }
    }
    for handoff in handoffs { for (block, _) in handoff.takeAll() { heap.deallocate(block) } }
    #expect(failures.takeAll().isEmpty)
    #expect(heap.allocatedBlocks == 0)
    let statistics = heap.statistics()
    #expect(statistics.extras["thread heaps"]! >= 1)
    #expect(statistics.liveBlocks == 0)
  }

  @Test("a raw block freed by a thread that has no heap here is counted off, whichever thread allocated it")
  func rawFreeWithoutHeap() {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    let handoff = Handoff()
    onNewThreads(1) { _ in handoff.put(heap.allocate(byteCount: 1000)!, seed: 0) }
    #expect(heap.allocatedBlocks == 1)
    // This thread never allocated from `heap`; the block is glibc's, so no thread heap is named by the arena map.
    onNewThreads(1) { _ in for (block, _) in handoff.takeAll() { heap.deallocate(block) } }
    #expect(heap.allocatedBlocks == 0)
    #expect(heap.statistics().extras["raw allocated blocks"] == 0)
  }

  @Test("1 000 threads that end with live blocks, freed later by others: the arena count returns to its start")
  func threadsEndWithLiveBlocks() {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    let start = heap.statistics().extras["arenas allocated current"]
    let left = Handoff()
    for wave in 0..<10 {
      onNewThreads(100) { index in
        let seed = wave * 1000 + index
        for size in [16, 48, 200, 512, 2000] {
          let block = heap.allocate(byteCount: size)!
          fill(block, byteCount: 16, seed: seed)
          left.put(block, seed: seed)
        }
      }
      // Freed by other threads than the ones that made them, after those ended.
      let blocks = left.takeAll()
      let failures = Handoff()
      onNewThreads(4) { index in
        for (offset, entry) in blocks.enumerated() where offset % 4 == index {
          if !holdsPattern(entry.pointer, byteCount: 16, seed: entry.seed) { failures.put(entry.pointer, seed: 0) }
          heap.deallocate(entry.pointer)
        }
      }
      #expect(failures.takeAll().isEmpty)
    }
    let statistics = heap.statistics()
    #expect(statistics.extras["arenas allocated current"] == start)
    #expect(statistics.liveBlocks == 0)
    // Ended threads' heaps were adopted by the next ones, not made anew for each of the 1 000: at most one per
    // thread alive at once (a wave of 100, the 4 that free, this one).
    #expect(statistics.extras["thread heaps"]! <= 105)
  }

  @Test("blocks freed into another thread's full pool reach it through the delayed list; the pool then takes its own")
  func delayedFreeOfFullPool() throws {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    // 31 blocks of 512 bytes fill a pool: it leaves its class's list with the delay flag set.
    let blocks = (0..<31).map { _ in heap.allocate(byteCount: 512)! }
    let pool = _Pool.containing(blocks[0])
    #expect(Set(blocks.map { _Pool.containing($0) }).count == 1 && pool.pointee.freeBlock == nil)
    #expect(sm_load_acquire_word(pool._remoteFreeWord) == _Pool._delayFlag)
    onNewThreads(1) { _ in [blocks[7], blocks[9]].forEach(heap.deallocate) }
    let owner = heap._threadHeap()
    #expect(sm_load_acquire_word(owner._state._delayedFreesWord) == UInt(bitPattern: blocks[9]))
    // The next request of the class finds no used pool and drains the delayed list: the pool is in use again, its
    // flag gone, and the request gets the block freed last.
    #expect(heap.allocate(byteCount: 500) == blocks[7])
    #expect(sm_load_acquire_word(pool._remoteFreeWord) == 0)
    // So the next remote free goes on the pool's own list, taken back when the pool runs dry.
    onNewThreads(1) { _ in heap.deallocate(blocks[11]) }
    #expect(sm_load_acquire_word(pool._remoteFreeWord) == UInt(bitPattern: blocks[11]))
    #expect(heap.allocate(byteCount: 500) == blocks[9])
    #expect(heap.allocate(byteCount: 500) == blocks[11])
    #expect(sm_load_acquire_word(pool._remoteFreeWord) == _Pool._delayFlag)  // full again
    blocks.forEach(heap.deallocate)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("blocks freed into another thread's used pool come back when that pool's free list runs dry")
  func remoteListTakenBack() throws {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    let first = (0..<20).map { _ in heap.allocate(byteCount: 512)! }
    onNewThreads(1) { _ in first[..<5].forEach(heap.deallocate) }
    let pool = _Pool.containing(first[0])
    #expect(sm_load_acquire_word(pool._remoteFreeWord) == UInt(bitPattern: first[4]))
    #expect(pool.pointee.count == 20)  // remote frees do not touch the owner's count
    // 11 more blocks carve the pool out; the next requests take the 5 remote blocks, newest first.
    let second = (0..<11).map { _ in heap.allocate(byteCount: 512)! }
    #expect(Set(second.map { _Pool.containing($0) }) == [pool])
    let again = (0..<5).map { _ in heap.allocate(byteCount: 512)! }
    #expect(again == first[..<5].reversed())
    (first[5...] + second + again).forEach(heap.deallocate)
    #expect(heap.allocatedBlocks == 0)
  }

  @Test("an interior pointer of another thread's block is refused, and nothing is pushed")
  func interiorPointerRefused() throws {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    let block = try #require(heap.allocate(byteCount: 64))
    fill(block, byteCount: 64, seed: 5)
    onNewThreads(1) { _ in heap.deallocate(block + 16) }
    #expect(sm_load_acquire_word(_Pool.containing(block)._remoteFreeWord) == 0)
    #expect(holdsPattern(block, byteCount: 64, seed: 5) && heap.allocatedBlocks == 1)
    heap.deallocate(block)
  }

  @Test("the report sums the thread heaps; one report per thread heap")
  func reports() {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    let kept = Handoff()
    onNewThreads(3) { index in kept.put(heap.allocate(byteCount: 16 * (index + 1))!, seed: index) }
    let mine = heap.allocate(byteCount: 100)!
    let report = heap.statisticsReport()
    #expect(heap.allocatedBlocks == 4)
    #expect(report.contains("Small block threshold = 512, in 32 size classes."))
    let reports = heap.threadStatisticsReports()
    #expect(reports.count == heap.statistics().extras["thread heaps"])
    #expect(reports.contains { $0.contains("(thread 0x") } && reports.allSatisfy { $0.hasPrefix("thread heap #") })
    for (block, _) in kept.takeAll() { heap.deallocate(block) }
    heap.deallocate(mine)
  }

  @Test("fork in a busy process: the child allocates and frees on its own heap; the parent goes on")
  func forkWhileThreadsWork() {
    let heap = ConcurrentHeap(raw: SystemAllocator())
    defer { heap.destroy() }
    let stop = Handoff()
    let shared = Handoff()
    let children = Handoff()
    let parentBlock = heap.allocate(byteCount: 40)!
    var statuses: [Int32] = []
    onNewThreads(4) { index in
      if index == 0 {
        for _ in 0..<20 {
          // Blocks of the other threads, taken before the fork (the child takes no lock of the test's): at least one
          // other thread has a heap, which the child must find frozen.
          var othersBlocks = shared.takeAll()
          while othersBlocks.isEmpty { othersBlocks = shared.takeAll() }
          let child = fork()
          if child == 0 {
            // Own heap; a block of another thread's heap (frozen in the child) is dropped, never touched.
            var ok = true
            for size in stride(from: 1, through: 600, by: 7) {
              let block = heap.allocate(byteCount: size)!
              fill(block, byteCount: size, seed: size)
              ok = ok && holdsPattern(block, byteCount: size, seed: size)
              heap.deallocate(block)
            }
            var frozen = 0
            heap._state._forEachHeap { if sm_load_acquire_word($0._threadWord) == _RemoteFreeState.frozen { frozen += 1 } }
            for (block, _) in othersBlocks { heap.deallocate(block) }
            _exit(ok && frozen >= 1 ? 0 : 1)
          }
          for (block, _) in othersBlocks { heap.deallocate(block) }
          var status: Int32 = 0
          waitpid(child, &status, 0)
          children.put(UnsafeMutableRawPointer(bitPattern: 16)!, seed: Int(status))
        }
        stop.put(parentBlock, seed: 0)
      } else {
        while stop.takeAll().isEmpty {
          for size in [24, 100, 400] {
            let block = heap.allocate(byteCount: size)!
            shared.put(block, seed: size)
          }
          for (block, _) in shared.takeAll() { heap.deallocate(block) }
        }
        stop.put(parentBlock, seed: 0)
      }
    }
    for (block, _) in shared.takeAll() { heap.deallocate(block) }
    statuses = children.takeAll().map { Int32($0.seed) }
    _ = stop.takeAll()
    heap.deallocate(parentBlock)
    #expect(statuses.count == 20 && statuses.allSatisfy { $0 == 0 })
    #expect(heap.allocatedBlocks == 0)
  }
}
