//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import SystemBackend
import Testing

@testable import PymallocBackend

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The hardened mode's pieces one at a time: the option, the encoding, the layout it leaves alone, the remote-free
/// path and the default abort.
@Suite("hardened pymalloc: option, link encoding, layout, remote frees, abort")
struct HardenedModeTests {
  @Test("SWIFTMALLOC_HARDEN=1 turns the mode on, 0 and unset leave it off")
  func option() {
    #expect(PymallocOptions.fromEnvironment(["SWIFTMALLOC_HARDEN": "1"]).hardened)
    #expect(!PymallocOptions.fromEnvironment(["SWIFTMALLOC_HARDEN": "0"]).hardened)
    #expect(!PymallocOptions.fromEnvironment([:]).hardened)
  }

  @Test(
    "a freed block's link is neither the next block's address nor the same in two heaps",
    .disabled(if: _MemoryTracking.poisonsForAddressSanitizer, "reads a freed block, which ASan reports"))
  func linksAreEncoded() throws {
    var stored: [UInt] = []
    for _ in 0..<2 {
      let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(hardened: true))
      defer { heap.destroy() }
      let a = try #require(heap.allocate(byteCount: 24))
      let b = try #require(heap.allocate(byteCount: 24))
      heap.deallocate(b)
      heap.deallocate(a)
      let link = a.load(as: UInt.self)
      #expect(link != UInt(bitPattern: b) && _SafeLinks.link(of: a, in: heap._state) == b)
      stored.append(link ^ UInt(bitPattern: a) >> 12 ^ UInt(bitPattern: b))  // the secret, were it leaked
    }
    #expect(stored[0] != stored[1], "each heap draws its own secret")
  }

  @Test("the block-boundary multipliers find exactly the block starts of every class at every offset of a pool")
  func boundaryMultipliers() {
    let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(hardened: true))
    defer { heap.destroy() }
    for sizeIndex in 0..<(512 / 16) {
      let size = (sizeIndex + 1) * 16
      let multiplier = heap._state._blockMultipliers[sizeIndex]
      let wrong = (0..<poolSize).filter { offset in
        (UInt32(offset) &* multiplier <= multiplier &- 1) != (offset % size == 0)
      }
      #expect(wrong.isEmpty, "class \(sizeIndex): \(wrong.prefix(4))")
    }
  }

  @Test("0 bytes more per block: the same addresses, pools and pool count as an ordinary heap")
  func sameLayout() throws {
    func carve(hardened: Bool) throws -> (offsets: [Int], pools: Int) {
      let heap = Heap(raw: SystemAllocator(), options: PymallocOptions(hardened: hardened))
      defer { heap.destroy() }
      let blocks = try (0..<2000).map { try #require(heap.allocate(byteCount: 16 + $0 % 200)) }
      let offsets = blocks.map { Int(bitPattern: $0) & (poolSize - 1) }
      let pools = Set(blocks.map { Int(bitPattern: $0) & ~(poolSize - 1) }).count
      blocks.forEach(heap.deallocate)
      return (offsets, pools)
    }
    let (plain, hardened) = (try carve(hardened: false), try carve(hardened: true))
    #expect(plain.offsets == hardened.offsets && plain.pools == hardened.pools)
  }

  @Test("a double free by another thread is refused before it reaches the owner's remote list")
  func remoteDoubleFree() throws {
    let log = CorruptionLog()
    let heap = ConcurrentHeap(
      raw: SystemAllocator(), options: PymallocOptions(hardened: true, corruptionHandler: { log.reports.append($0) }))
    defer { heap.destroy() }
    let keep = try #require(heap.allocate(byteCount: 40))  // the pool stays used
    let a = try #require(heap.allocate(byteCount: 40))
    heap.deallocate(a)
    let address = UInt(bitPattern: a)
    onNewThreads(1) { _ in heap.deallocate(UnsafeMutableRawPointer(bitPattern: address)) }
    #expect(log.reports.map(\.kind) == [.doubleFree])
    let blocks = (0..<3).compactMap { _ in heap.allocate(byteCount: 40) }
    #expect(blocks.filter { $0 == a }.count == 1, "the block is handed out once")
    (blocks + [keep]).forEach(heap.deallocate)
  }

  @Test("blocks freed by other threads come back through the hardened checks intact")
  func remoteFreesRoundTrip() throws {
    let log = CorruptionLog()
    let heap = ConcurrentHeap(
      raw: SystemAllocator(), options: PymallocOptions(hardened: true, corruptionHandler: { log.reports.append($0) }))
    defer { heap.destroy() }
    let addresses = try (0..<3000).map { UInt(bitPattern: try #require(heap.allocate(byteCount: 16 + $0 % 100))) }
    onNewThreads(2) { half in
      for address in addresses[(half * 1500)..<(half * 1500 + 1500)] {
        heap.deallocate(UnsafeMutableRawPointer(bitPattern: address))
      }
    }
    let again = (0..<3000).compactMap { heap.allocate(byteCount: 16 + $0 % 100) }
    #expect(log.reports.isEmpty && Set(again).count == again.count)
    again.forEach(heap.deallocate)
  }

  @Test("without a handler a detected corruption prints one line and aborts")
  func abortsByDefault() async {
    let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardErrorContent]) {
      let heap = PymallocHeap(raw: SystemAllocator(), options: PymallocOptions(hardened: true))
      let block = heap.allocate(byteCount: 40)
      heap.deallocate(block)
      heap.deallocate(block)
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("swift-malloc: pymalloc heap #") && text.contains(": double free at block 0x"))
    #expect(text.contains("(class 2, 48-byte blocks); aborting (SWIFTMALLOC_HARDEN)"))
  }
}
