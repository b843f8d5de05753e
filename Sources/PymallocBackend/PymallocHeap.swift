//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CPymallocShim

/// CPython's small-object allocator ("pymalloc", 3.11 on 64-bit), as one independent heap.
///
/// Requests of 1 … 512 bytes are served from 16 KiB pools of equal-sized blocks carved out of 1 MiB arenas;
/// zero-byte requests, larger requests and pymalloc's own failures go to the `Raw` allocator and are counted as
/// raw blocks.
///
/// ### Layout
///
///     arena (1 MiB from the ArenaSource; usually not 16 KiB-aligned, so the part below the first pool boundary
///     │      and above the last one is lost: 63 usable pools instead of 64)
///     │
///     │ base   first pool boundary                                              base + 1 MiB
///     │ ├─lost─┼─────────┬─────────┬─────────┬─────────┬───── … ──┬─────────┬──lost─┤
///     │        │ pool 0  │ pool 1  │ pool 2  │ pool 3  │          │ pool 62 │       │
///     │        └─────────┴─────────┴─────────┴─────────┴───── … ──┴─────────┘
///     │          carved ◄──────────────────► ▲ poolAddress: pools above it were never touched
///     ▼
///     pool (16 KiB, one size class)
///     ┌────────────┬─────────┬─────────┬─────────┬─────────┬─ … ─┬─────────┬───────────────┐
///     │ header 48 B│ block 0 │ block 1 │ block 2 │ virgin  │     │ virgin  │ quantization  │
///     └────────────┴─────────┴─────────┴─────────┴─────────┴─ … ─┴─────────┴───────────────┘
///                   ▲ allocated ▲ free: first word links to the next free block
///                                          ▲ nextOffset: carving continues here when the free list is empty
///
///     heap state ──► ┌─ … state … ─┬─ usedPools: 2 words per class ──────────────────────┐
///                    │             │ [next prev]₀ [next prev]₁ … [next prev]₃₁             │  512 B, 4 classes a line
///                    └─────────────┴───┼──────────────────────────────────────────────────┘
///                                      └──► used pool ⇄ used pool ⇄ … (circular, class 0)
///
/// A carved pool is in one of three states:
///
///     used   1 ≤ count < blocks per pool   on its class's used list
///     full   count == blocks per pool      on no list
///     empty  count == 0                    on its arena's freePools list; keeps its class until reused
///
///     used ──last free block taken──► full ──a block freed──► used (re-linked at the list front)
///     used ──last block freed───────► empty ──taken for any class──► used
///
/// Arenas with an available pool sit on the usable list in ascending order of free pools, with a finger to the
/// last arena of each count, so a pool's return re-sorts its arena in O(1) (see `ArenaOrder.swift`). A wholly
/// free arena goes back to the arena source unless it is the list's tail.
///
/// Ownership is exact: one radix tree over `address >> 20` for the whole process records every arena's extent
/// and the heap it belongs to (see `ArenaMap.swift`), so freeing a block from another allocator never reads
/// foreign memory (it goes to `Raw`), and a block of another pymalloc heap is recognised and refused.
///
/// ### CPython's names
///
/// The code follows CPython's `Objects/obmalloc.c` step by step, so the two read side by side:
///
/// | CPython | here |
/// |---|---|
/// | `pymalloc_alloc` | `_pymallocAllocate(_:)` (`PymallocHeap+Allocate.swift`) |
/// | `allocate_from_new_pool`, `pool_init` | `_allocateFromNewPool(sizeIndex:links:)`, `_Pool._initialize(sizeIndex:links:in:)` |
/// | `pymalloc_pool_extend` | `_Pool._extendFreeList(links:in:)` |
/// | `pymalloc_free` | `_pymallocFree(_:)` (`PymallocHeap+Free.swift`) |
/// | `insert_to_usedpool`, `insert_to_freepool` | `_insertToUsedPool(_:)`, `_insertToFreePool(_:)` |
/// | `new_arena`, `address_in_range` | `_newArena()`, `_ArenaMap.owner(of:)` |
/// | `usedpools`, `nfp2lasta`, `arena_object` | `_HeapStatePointer._usedPools(_:)`, `lastArenaWithFreePools`, `_ArenaDescriptor` |
///
/// ### Threads
///
/// A heap is used by one thread at a time, as CPython's pymalloc relies on the GIL; it takes no locks on its
/// paths, only the arena map's lock when it attaches or releases an arena. Copies of a heap share one state.
/// Several heaps may live in one process, each with its own arenas; ``ConcurrentPymallocHeap`` gives each thread
/// one.
///
/// ### Lifetime
///
/// ``destroy()`` returns every arena; blocks still live in pymalloc's arenas die with it, while raw blocks stay
/// with the raw allocator.
@frozen
public struct PymallocHeap<Raw: Allocator>: Allocator {
  @usableFromInline
  internal let _state: _HeapStatePointer

  /// The allocator that serves zero-byte and large requests and pymalloc's own bookkeeping.
  public let raw: Raw

  /// The bytes pymalloc asks its ``ArenaSource`` for at a time (1 MiB).
  public static var arenaByteCount: Int { _Layout.arenaSize }

  /// The largest request pymalloc serves itself (512 bytes).
  public static var smallRequestThreshold: Int { _Layout.smallRequestThreshold }

  /// Creates an empty heap; it obtains its first arena at the first small request.
  ///
  /// - Parameters:
  ///   - raw: The allocator for requests pymalloc does not serve and for its descriptor vector.
  ///   - arenaSource: Where arenas come from; anonymous `mmap` by default.
  ///   - options: Behaviour switches; see ``PymallocOptions/fromEnvironment()``.
  /// - Precondition: fewer than 65 535 pymalloc heaps exist at once (each has a name in the arena map).
  public init(raw: Raw, arenaSource: ArenaSource = .memoryMap, options: PymallocOptions = PymallocOptions()) {
    self.raw = raw
    _state = ._make(arenaSource: arenaSource, options: options)
    _MemoryTracking.heapCreated(_state)
  }

  /// A heap value for the state at `state` (a thread heap of ``ConcurrentPymallocHeap``).
  @inlinable
  @inline(__always)
  internal init(_state state: _HeapStatePointer, raw: Raw) {
    _state = state
    self.raw = raw
  }

  /// `"pymalloc"`.
  public var name: String { BaseBackend.pymalloc.rawValue }

  /// One thread at a time, as CPython's pymalloc under the GIL.
  public var isThreadSafe: Bool { false }

  /// The heap's name in the process-wide arena map, as messages about blocks of the wrong heap print it
  /// (`pymalloc heap #3`).
  public var heapNumber: Int { Int(_state.pointee.heapID) }

  /// Returns every arena to the arena source and frees the heap's own tables. The heap, its copies and every
  /// block in its arenas are invalid afterwards.
  ///
  /// With ``PymallocOptions/printsStatisticsOnNewArena`` the report is printed once first, as CPython prints it
  /// at exit.
  public func destroy() {
    if _state.pointee.options.printsStatisticsOnNewArena {
      _state.pointee.options.statisticsOutput(statisticsReport())
    }
    _MemoryTracking.heapDestroyed(_state)
    _state.pointee.forEachAttachedArena { arena in
      let base = arena.pointee.address.unsafelyUnwrapped
      _ArenaMap.unmark(arenaAt: base)
      _MemoryTracking.arenaReleased(base)
      _state.pointee.arenaSource.release(base, _Layout.arenaSize)
    }
    if let arenas = _state.pointee.arenas { raw.deallocate(UnsafeMutableRawPointer(arenas)) }
    _state._release()
  }
}

/// A heap may move between threads, but only one thread may use it at a time: an owner that shares it guards
/// every call with its own lock, as CPython guards pymalloc with the GIL.
extension PymallocHeap: @unchecked Sendable where Raw: Sendable {}
