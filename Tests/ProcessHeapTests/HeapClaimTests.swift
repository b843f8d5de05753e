//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import SwiftMallocCABI
import Testing

/// The backends with debug hooks, whose heaps check the calling thread.
/// The debug backends with CPython's GIL check (the concurrent pymalloc's debug form has none: any thread may call).
let debugHeapBackends = processHeapBackends.filter { $0.hasSuffix("_debug") && !$0.hasPrefix("pymalloc_mt") }

/// An unlocked `sm_heap` handed from thread to thread, and the blocks one thread leaves for the next.
final class HeapHandOver: @unchecked Sendable {
  let heap: UnsafeMutableRawPointer
  var blocks: [(pointer: UnsafeMutableRawPointer, size: Int)] = []

  init?(backend: String) {
    guard let heap = SwiftMallocCABI.sm_heap_new(backend) else { return nil }
    self.heap = heap
  }

  /// Runs `body` on a new thread and waits for it.
  func onAnotherThread(_ body: @escaping @Sendable (HeapHandOver) -> Void) {
    let finished = DispatchSemaphore(value: 0)
    Thread { [self] in
      body(self)
      finished.signal()
    }.start()
    finished.wait()
  }

  /// Allocates `count` blocks of 1…`count` bytes, each filled with its size.
  func allocateBlocks(count: Int) {
    for size in 1...count {
      guard let pointer = sm_heap_malloc(heap, size) else { continue }
      pointer.initializeMemory(as: UInt8.self, repeating: UInt8(size), count: size)
      blocks.append((pointer, size))
    }
  }

  /// Frees every block; returns how many were allocated and intact.
  func freeBlocks() -> Int {
    defer { blocks.removeAll() }
    return blocks.filter { block in
      defer { sm_heap_free(heap, block.pointer) }
      return UnsafeRawBufferPointer(start: block.pointer, count: block.size).allSatisfy { $0 == UInt8(block.size) }
    }.count
  }
}

@Suite("sm_heap_claim hands an unlocked heap from thread to thread")
struct HeapClaimTests {
  @Test("A heap made on one thread is claimed and used on another, then claimed back", arguments: processHeapBackends)
  func claimedElsewhere(backend: String) async {
    await #expect(processExitsWith: .success) { [backend] in
      guard let handOver = HeapHandOver(backend: backend) else { exit(3) }
      handOver.onAnotherThread { handOver in
        sm_heap_claim(handOver.heap)
        handOver.allocateBlocks(count: 200)
        precondition(handOver.freeBlocks() == 200, "blocks used on the claiming thread")
        handOver.allocateBlocks(count: 100)
      }
      sm_heap_claim(handOver.heap)
      let intact = handOver.freeBlocks()
      sm_heap_destroy(handOver.heap)
      exit(intact == 100 ? 0 : 1)
    }
  }

  @Test("A call from a thread that did not claim the heap is a fault", arguments: debugHeapBackends)
  func unclaimed(backend: String) async {
    let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardErrorContent]) {
      [backend] in
      guard let handOver = HeapHandOver(backend: backend) else { exit(3) }
      handOver.onAnotherThread { handOver in handOver.allocateBlocks(count: 1) }
      exit(0)
    }
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(stderr.contains(
      "Fatal swift-malloc error: _PyMem_DebugMalloc: memory allocator called without holding the heap's lock\n"))
  }

  @Test("Once another thread claimed the heap, its creator no longer holds it", arguments: debugHeapBackends)
  func claimMovesTheHolder(backend: String) async {
    let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardErrorContent]) {
      [backend] in
      guard let handOver = HeapHandOver(backend: backend) else { exit(3) }
      handOver.onAnotherThread { handOver in sm_heap_claim(handOver.heap) }
      handOver.allocateBlocks(count: 1)
      exit(0)
    }
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(stderr.contains("memory allocator called without holding the heap's lock"))
  }
}
