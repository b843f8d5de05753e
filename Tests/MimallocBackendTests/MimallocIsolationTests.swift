//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Mimalloc
  import AllocatorCore
  import CMimallocShim
  import Foundation
  import MimallocBackend
  import Testing

  /// What a process `malloc` must not be while the mimalloc backend allocates; each problem is one line.
  enum MimallocIsolationProbe {
    typealias InHeapRegion = @convention(c) (UnsafeRawPointer?) -> Bool

    static func problems() -> [String] {
      let heap = MimallocHeap()
      defer { heap.destroy() }
      let mimalloc = MimallocAllocator(heap: heap)
      guard let small = mimalloc.allocate(byteCount: 100),
        let library = dlopen("libmimalloc.so.2", RTLD_NOLOAD | RTLD_NOW),
        let mimallocMalloc = dlsym(library, "malloc"),
        let inHeapRegion = dlsym(library, "mi_is_in_heap_region").map({ unsafeBitCast($0, to: InHeapRegion.self) })
      else { return ["mimalloc did not allocate, or libmimalloc.so.2 is not loaded"] }
      defer { mimalloc.deallocate(small) }
      var problems: [String] = []
      if dlsym(nil, "malloc") == mimallocMalloc { problems.append("the process malloc resolves into libmimalloc") }
      let processBlock = malloc(100)
      defer { free(processBlock) }
      if inHeapRegion(processBlock) { problems.append("a process malloc block lies in mimalloc's heap") }
      if !inHeapRegion(small) { problems.append("the backend's block is not in mimalloc's heap") }
      return problems + committedBytesProblems(mimalloc)
    }

    /// mimalloc's committed memory does not move with 64 MiB from the process `malloc` (Swift's arrays included),
    /// and moves by at least 64 MiB with 64 MiB from the backend (a huge block: a segment of its own, committed
    /// whole), which the set's heap counts.
    static func committedBytesProblems(_ mimalloc: MimallocAllocator) -> [String] {
      let size = 64 << 20
      func committed() -> Int { sm_mi_process_figures_now().current_commit }
      var problems: [String] = []
      let before = committed()
      let processBlock = malloc(size)!
      memset(processBlock, 1, size)
      let swiftArray = [UInt8](repeating: 1, count: size)
      let during = committed()
      free(processBlock)
      if during != before || swiftArray.count != size {
        problems.append("128 MiB from the process malloc moved mimalloc's commit by \(during - before)")
      }
      let liveBefore = mimalloc.statistics().liveBlocks ?? -1
      guard let block = mimalloc.allocate(byteCount: size) else { return problems + ["64 MiB refused"] }
      memset(block, 1, size)
      let statistics = mimalloc.statistics()
      if committed() - during < size { problems.append("64 MiB from mimalloc committed \(committed() - during)") }
      if statistics.liveBlocks != liveBefore + 1 || statistics.allocatedBytes < size {
        problems.append("the set's heap counts \(String(describing: statistics.liveBlocks)) blocks, \(statistics.allocatedBytes) bytes")
      }
      mimalloc.deallocate(block)
      return problems
    }
  }

  @Suite("mimalloc is reached through dlopen(RTLD_LOCAL) and does not become the process malloc")
  struct MimallocIsolationTests {
    /// In a process of its own: mimalloc's committed bytes are process-wide, and other tests allocate from it.
    @Test("dlsym(malloc) is not mimalloc's, a process malloc block is outside mimalloc's heap, commit moves only with mimalloc")
    func processMallocIsNotMimalloc() async {
      let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        let problems = MimallocIsolationProbe.problems()
        FileHandle.standardError.write(Data(problems.map { "isolation problem: \($0)\n" }.joined().utf8))
        FileHandle.standardError.write(Data("isolation probe done\n".utf8))
      }
      let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
      #expect(stderr.hasSuffix("isolation probe done\n") && !stderr.contains("isolation problem"), "\(stderr)")
    }

    @Test("A library that does not load makes mimalloc unavailable: the registry refuses it, naming the reason")
    func unloadableLibrary() async {
      let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        setenv("SWIFTMALLOC_MIMALLOC_LIBRARY", "/nonexistent/libmimalloc.so.2", 1)
        do throws(BackendSelectionError) {
          _ = try Registry.configuration(named: "mimalloc_debug", source: .environment)
          exit(1)
        } catch {
          FileHandle.standardError.write(Data("\(error)\n".utf8))
          guard case .unavailable(.mimalloc, _) = error.reason, !Registry.acceptedNames.contains("mimalloc") else {
            exit(1)
          }
          exit(0)
        }
      }
      let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
      #expect(
        stderr.hasPrefix(
          "SWIFTMALLOC=mimalloc_debug: mimalloc is unavailable in this process: /nonexistent/libmimalloc.so.2: "
            + "cannot open shared object file"), "\(stderr)")
    }
  }
#endif
