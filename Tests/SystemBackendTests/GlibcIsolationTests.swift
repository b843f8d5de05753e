//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSyscallRefusal
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
      precondition(sm_je_load() == nil, "jemalloc is linked into this build")  // resolves its functions, once
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

    @Test("glibc's allocator is initialised at load, from one thread, not by the first threads that reach it")
    func glibcInitialisedAtLoad() async {
      // Two threads making glibc's first call at once both count themselves the main arena's one thread, and glibc
      // aborts when the second ends. In a fresh process whose malloc is jemalloc, only the load can have called it.
      await #expect(processExitsWith: .success) {
        exit(sm_glibc_heap_info_now().arena > 0 ? 0 : 1)
      }
    }
  #endif
}

@Suite("The mapping probe the debug hooks use before reading a pointer's header")
struct MappingProbeTests {
  @Test("sm_is_readable is true for mapped memory and false once it is unmapped")
  func probe() throws {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let region = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    #expect(region != MAP_FAILED)
    #expect(sm_is_readable(region + 100, 16) == 1)
    #expect(sm_is_readable(region, 2 * page) == 1)
    munmap(region + page, page)
    #expect(sm_is_readable(region + page - 8, 16) == 0)
    #expect(sm_is_readable(region + page + 8, 8) == 0)
    #expect(sm_is_readable(UnsafeRawPointer(bitPattern: UInt.max - 32), 64) == 0)
    munmap(region, page)
  }

  @Test("A mapped PROT_NONE page (a guard page, a reservation) is not readable; the pages around it are")
  func protectedPage() throws {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let pages = 200
    let region = try #require(mmap(nil, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    #expect(region != MAP_FAILED)
    defer { munmap(region, pages * page) }
    #expect(sm_is_readable(region, pages * page) == 1)
    mprotect(region + 150 * page, page, PROT_NONE)
    #expect(sm_is_readable(region + 150 * page + 64, 24) == 0)
    #expect(sm_is_readable(region + 150 * page - 8, 16) == 0)
    #expect(sm_is_readable(region, pages * page) == 0)
    #expect(sm_is_readable(region, 150 * page) == 1)
    #expect(sm_is_readable(region + 151 * page, 49 * page) == 1)
    errno = EINTR
    #expect(sm_is_readable(region + 150 * page, 16) == 0)
    #expect(errno == EINTR)
  }

  @Test("Where process_vm_readv is refused, the pipe probe still sees protection; without pipes, mincore mappings")
  func fallbacks() async {
    await #expect(processExitsWith: .success) {
      let page = Int(sysconf(Int32(_SC_PAGESIZE)))
      let region = mmap(nil, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
      mprotect(region + page, page, PROT_NONE)
      munmap(region + 2 * page, page)
      let seen = { (0..<3).map { sm_is_readable(region + $0 * page, 16) } }
      guard seen() == [1, 0, 0], sm_test_refuse_syscall(sm_test_syscall_process_vm_readv, EPERM) == 0 else { exit(1) }
      guard seen() == [1, 0, 0], sm_test_refuse_syscall(sm_test_syscall_pipe2, EMFILE) == 0 else { exit(2) }
      exit(seen() == [1, 1, 0] ? 0 : 3)  // mincore: blind to protection, still sees the unmapped page
    }
  }
}
