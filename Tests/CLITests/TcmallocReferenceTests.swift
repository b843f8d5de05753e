//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import TcmallocReferenceBackend
import Testing

/// Whether libtcmalloc_minimal.so.4 loads here (`make test` installs it).
let tcmallocLoads = TcmallocAllocator.unavailability == nil

@Suite("The tcmalloc reference keeps the allocator contract", .enabled(if: tcmallocLoads))
struct TcmallocReferenceTests {
  @Test("Blocks are 16-aligned, usable ≥ requested, hold every byte; zero bytes are distinct; resizes keep content")
  func contract() throws {
    let tcmalloc = TcmallocAllocator()
    for size in [0, 1, 8, 15, 16, 17, 511, 512, 513, 4095, 4096, 1 << 20] {
      let block = try #require(tcmalloc.allocate(byteCount: size))
      #expect(Int(bitPattern: block) % 16 == 0 && tcmalloc.usableSize(of: block) >= size, "size \(size)")
      block.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: size), count: size)
      let grown = try #require(tcmalloc.reallocate(block, byteCount: size + 3000))
      #expect(UnsafeRawBufferPointer(start: grown, count: size).allSatisfy { $0 == UInt8(truncatingIfNeeded: size) })
      tcmalloc.deallocate(grown)
    }
    let empty = (0..<2).compactMap { _ in tcmalloc.allocate(byteCount: 0) }
    #expect(empty.count == 2 && empty[0] != empty[1])
    empty.forEach(tcmalloc.deallocate)
    let zeroed = try #require(tcmalloc.allocateZeroed(count: 100, stride: 8))
    #expect(UnsafeRawBufferPointer(start: zeroed, count: 800).allSatisfy { $0 == 0 })
    tcmalloc.deallocate(zeroed)
  }

  @Test("Alignments up to 64 KiB are kept; bad sizes and alignments return nil")
  func alignmentAndBadInput() {
    let tcmalloc = TcmallocAllocator()
    for shift in 4...16 {
      let block = tcmalloc.allocate(byteCount: 100, alignment: 1 << shift)
      #expect(block.map { Int(bitPattern: $0) % (1 << shift) == 0 } == true, "alignment \(1 << shift)")
      tcmalloc.deallocate(block)
    }
    for size in [-1, Int.min, Int.max, 1 << 62] {
      #expect(tcmalloc.allocate(byteCount: size) == nil && tcmalloc.allocateZeroed(count: size, stride: 1) == nil)
    }
    #expect(tcmalloc.allocateZeroed(count: 1 << 62, stride: 8) == nil)
    #expect([0, 3, 24, 1 << 40].allSatisfy { tcmalloc.allocate(byteCount: 16, alignment: $0) == nil })
  }

  /// In a process of its own: tcmalloc's figures are process-wide.
  @Test("The process malloc is not tcmalloc's; tcmalloc's allocated bytes move with tcmalloc alone")
  func isolation() async {
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      let tcmalloc = TcmallocAllocator()
      let library = dlopen("libtcmalloc_minimal.so.4", RTLD_NOLOAD | RTLD_NOW)
      let resolvesToTcmalloc = library == nil || dlsym(nil, "malloc") == dlsym(library, "malloc")
      let before = tcmalloc.statistics().allocatedBytes
      let processBlock = malloc(10_000_000)!
      memset(processBlock, 1, 10_000_000)
      let afterProcessMalloc = tcmalloc.statistics().allocatedBytes
      free(processBlock)
      let block = tcmalloc.allocate(byteCount: 10_000_000)!
      let afterTcmalloc = tcmalloc.statistics().allocatedBytes
      tcmalloc.deallocate(block)
      print("\(resolvesToTcmalloc) \(afterProcessMalloc - before) \(afterTcmalloc - afterProcessMalloc)")
    }
    let fields = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self).split(separator: " ")
    #expect(fields.first == "false", "dlsym(malloc) resolved into tcmalloc: \(fields)")
    #expect(fields.count == 3 && fields[1] == "0" && Int(fields[2].dropLast()) ?? 0 >= 10_000_000, "\(fields)")
  }
}
