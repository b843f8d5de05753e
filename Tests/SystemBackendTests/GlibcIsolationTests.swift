//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSystemShim
import SystemBackend
import Testing

#if canImport(Glibc)
  import Glibc
#endif

#if Jemalloc
  import CJemallocShim
  import JemallocBackend
#endif

@Suite("The glibc backend reaches glibc even when jemalloc is the process malloc")
struct GlibcIsolationTests {
  @Test("glibc's malloc_usable_size (found through dlsym) accepts the backend's blocks")
  func glibcOwnsBlocks() throws {
    let glibc = SystemAllocator()
    let block = try #require(glibc.allocate(byteCount: 100))
    defer { glibc.deallocate(block) }
    #expect(sm_glibc_entry_points().pointee.malloc_usable_size(block) >= 100)
    #expect(glibc.usableSize(of: block) == sm_glibc_entry_points().pointee.malloc_usable_size(block))
  }

  #if Jemalloc
    /// Bytes jemalloc has allocated for the calling thread (`thread.allocated`): unlike the process-wide
    /// `stats.allocated`, other tests running in parallel do not move it.
    func jemallocAllocated() -> Int {
      var value = 0
      _ = sm_je_read_size("thread.allocated", &value)
      return value
    }

    @Test("10 MB from the glibc backend leave jemalloc's thread.allocated alone; 10 MB from jemalloc move it")
    func separateHeaps() throws {
      let tenMegabytes = 10_000_000
      let glibc = SystemAllocator()
      let before = jemallocAllocated()
      let glibcBlock = try #require(glibc.allocate(byteCount: tenMegabytes))
      glibcBlock.initializeMemory(as: UInt8.self, repeating: 1, count: tenMegabytes)
      let during = jemallocAllocated()
      glibc.deallocate(glibcBlock)
      #expect(during - before < 1 << 16, "jemalloc counted \(during - before) bytes on this thread")
      #expect(glibc.statistics().extras["mallinfo2.hblkhd"] != nil)

      let arena = JemallocArena()
      defer { arena.destroy() }
      let jemalloc = JemallocAllocator(arena: arena, threadCached: false)
      let jemallocBlock = try #require(jemalloc.allocate(byteCount: tenMegabytes))
      #expect(jemallocAllocated() - during >= tenMegabytes)
      #expect(jemalloc.statistics().allocatedBytes >= tenMegabytes)
      jemalloc.deallocate(jemallocBlock, byteCount: tenMegabytes)
    }
  #endif
}

@Suite("The mapping probe the debug hooks use before reading a pointer's header")
struct MappingProbeTests {
  @Test("sm_is_mapped is true for mapped memory and false once it is unmapped")
  func probe() throws {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let region = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    #expect(region != MAP_FAILED)
    #expect(sm_is_mapped(region + 100, 16) == 1)
    #expect(sm_is_mapped(region, 2 * page) == 1)
    munmap(region + page, page)
    #expect(sm_is_mapped(region + page - 8, 16) == 0)
    #expect(sm_is_mapped(region + page + 8, 8) == 0)
    #expect(sm_is_mapped(UnsafeRawPointer(bitPattern: UInt.max - 32), 64) == 0)
    munmap(region, page)
  }
}
