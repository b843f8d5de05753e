//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMallocPreload
import CSystemShim
import PymallocBackend

/// The allocator of the whole process: which backend serves it, chosen once at the first call, and its heap, kept
/// in C statics (`sm_preload_backend_word`, `sm_preload_heap`).
///
/// The process allocates long before the choice: the loader, libc, libstdc++ and the Swift runtime's own
/// initializers run first, and the heap's Swift code cannot run before the runtime has registered this library's
/// types (its constructor does that, before ours). Until the backend is published every call is glibc's; the arena
/// map later sends those blocks back to glibc when they are freed.
internal enum _ProcessAllocator {
  /// The concurrent pymalloc of the `pymalloc_mt` backend.
  @inlinable
  @inline(__always)
  internal static var concurrent: ConcurrentPymallocHeap<_GlibcHeap> {
    ConcurrentPymallocHeap(_unsafeState: sm_preload_heap_state().unsafelyUnwrapped, raw: _GlibcHeap())
  }

  /// The single-owner pymalloc of the `pymalloc` backend, behind the process lock.
  @inlinable
  @inline(__always)
  internal static var locked: _LockedHeap {
    _LockedHeap(heap: PymallocHeap(_unsafeState: sm_preload_heap_state().unsafelyUnwrapped, raw: _GlibcHeap()))
  }

  /// The debug hooks of a `_debug` backend over `Base`.
  @inlinable
  @inline(__always)
  internal static func debugHooks<Base>(over base: Base.Type) -> _ProcessDebugHooks<Base> {
    sm_preload_debug_hooks().unsafelyUnwrapped.assumingMemoryBound(to: _ProcessDebugHooks<Base>.self).pointee
  }

  /// The hooks of `pymalloc_mt_debug`.
  @inlinable
  @inline(__always)
  internal static var concurrentDebug: _ProcessDebugHooks<ConcurrentPymallocHeap<_GlibcHeap>> {
    debugHooks(over: ConcurrentPymallocHeap<_GlibcHeap>.self)
  }

  /// The hooks of `pymalloc_debug`.
  @inlinable
  @inline(__always)
  internal static var lockedDebug: _ProcessDebugHooks<_LockedHeap> { debugHooks(over: _LockedHeap.self) }

  /// The hooks of `malloc_debug`.
  @inlinable
  @inline(__always)
  internal static var glibcDebug: _ProcessDebugHooks<_GlibcHeap> { debugHooks(over: _GlibcHeap.self) }

  /// Whether `pointer` lies in no pymalloc arena: a glibc block.
  @inlinable
  internal static func isGlibcBlock(_ pointer: UnsafeMutableRawPointer) -> Bool {
    PymallocHeap<_GlibcHeap>.heapNumber(owning: pointer) == nil
  }

  /// Chooses the backend and makes its heap, once, from the library's constructor: every allocation until it
  /// publishes the backend (its own, from `getenv` to the thread-exit key) is glibc's.
  internal static func chooseBackend() {
    sm_glibc_resolve()
    let backend = _backendFromEnvironment()
    _makeHeap(for: backend)
    if _Environment.value(of: "SWIFTMALLOCSTATS") != nil {
      sm_preload_report_at_exit { _ProcessAllocator._writeReportAtExit() }
    }
    sm_preload_publish_backend(backend.rawValue)
  }

  /// `SWIFTMALLOC`'s backend; a name the process allocator does not serve says so once on standard error and
  /// gives the standard backend, so that a program that did not ask for us never stops.
  private static func _backendFromEnvironment() -> _ProcessBackend {
    guard let name = _Environment.value(of: "SWIFTMALLOC") else { return .standard }
    if let backend = _ProcessBackend(named: name) { return backend }
    _Environment.writeStandardError("swiftmalloc: error: SWIFTMALLOC=")
    _Environment.writeStandardError(cString: name)
    if _ProcessBackend.cannotServeProcess(name) {
      _Environment.writeStandardError(": cannot be the process allocator (Debian's jemalloc is a process malloc")
      _Environment.writeStandardError(" of its own, mimalloc is loaded with dlopen); running on pymalloc_mt\n")
    } else {
      _Environment.writeStandardError(": unknown backend '")
      _Environment.writeStandardError(cString: name)
      _Environment.writeStandardError("'; the process allocator accepts: ")
      _Environment.writeStandardError(_ProcessBackend.acceptedNames)
      _Environment.writeStandardError("; running on pymalloc_mt\n")
    }
    return .standard
  }

  /// Makes the heap `backend` serves from, with the environment's pymalloc options (the report is printed at exit,
  /// never before an arena: that would allocate inside an allocation).
  private static func _makeHeap(for backend: _ProcessBackend) {
    var options = PymallocOptions.fromEnvironment()
    options.printsStatisticsOnNewArena = false
    switch backend {
    case .concurrent:
      sm_preload_set_heap_state(ConcurrentPymallocHeap(raw: _GlibcHeap(), options: options)._unsafeState)
      _instantiateMetadata(of: concurrent)
    case .locked:
      sm_preload_set_heap_state(PymallocHeap(raw: _GlibcHeap(), options: options)._unsafeState)
      _instantiateMetadata(of: locked)
    case .concurrentDebug:
      sm_preload_set_heap_state(ConcurrentPymallocHeap(raw: _GlibcHeap(), options: options)._unsafeState)
      sm_preload_set_debug_hooks(_ProcessDebugHooks.make(base: concurrent))
      _instantiateMetadata(of: concurrentDebug)
    case .lockedDebug:
      sm_preload_set_heap_state(PymallocHeap(raw: _GlibcHeap(), options: options)._unsafeState)
      sm_preload_set_debug_hooks(_ProcessDebugHooks.make(base: locked))
      _instantiateMetadata(of: lockedDebug)
    case .glibcDebug:
      sm_preload_set_debug_hooks(_ProcessDebugHooks.make(base: _GlibcHeap()))
      _instantiateMetadata(of: glibcDebug)
    default:
      break
    }
  }

  /// Runs the heap's slow paths once, here, so that the type metadata their first run asks the Swift runtime for
  /// (the heap types') exists before the backend is published. Asked for later, it would be asked inside the
  /// runtime's own locks: `swift_registerProtocolConformances` allocates while it holds the conformance lock, and
  /// a metadata request made there waits on that lock for ever. A new pool, an emptied pool, a glibc block freed.
  private static func _instantiateMetadata<Heap: Allocator>(of heap: Heap) {
    let block = heap.allocate(byteCount: 16)
    heap.deallocate(block)
    heap.deallocate(__libc_malloc(16))
  }

  /// The debug hooks' slow paths, once: every family's allocation and free (more frees than the quarantine holds,
  /// so that blocks leave it), an aligned block, a resize, a large block, a glibc block freed and resized.
  private static func _instantiateMetadata<Base>(of hooks: _ProcessDebugHooks<Base>) {
    for family in [SM_FAMILY_MALLOC, SM_FAMILY_NEW, SM_FAMILY_NEW_ARRAY].map(Int32.init) {
      let blocks = (0..<12).map { hooks.allocate(16 * $0, alignment: 16, family: family) }
      blocks.forEach { hooks.free($0, family: family) }
    }
    let aligned = hooks.allocate(100, alignment: 64, family: Int32(SM_FAMILY_MALLOC))
    let grown = hooks.reallocate(aligned, 2000, keepingGlibcBlocks: false)
    hooks.free(hooks.reallocate(grown, 10, keepingGlibcBlocks: false), family: Int32(SM_FAMILY_MALLOC))
    hooks.free(hooks.allocateZeroed(1, 5000), family: Int32(SM_FAMILY_MALLOC))
    hooks.free(__libc_malloc(16), family: Int32(SM_FAMILY_MALLOC))
    hooks.free(hooks.reallocate(__libc_malloc(16), 32, keepingGlibcBlocks: false), family: Int32(SM_FAMILY_MALLOC))
    let probe = __libc_malloc(16).unsafelyUnwrapped
    _ = hooks.usableSize(of: probe)
    __libc_free(probe)
  }

  /// The `_debugmallocstats` report, at exit, to `SWIFTMALLOCSTATS_FILE` or standard error. From here on every
  /// allocation is glibc's (the report's strings among them); frees still reach the heap.
  internal static func _writeReportAtExit() {
    let backend = _ProcessBackend.current
    sm_preload_publish_backend(backend.reporting.rawValue)
    let report: String
    switch backend {
    case .concurrent, .concurrentDebug: report = concurrent.statisticsReport()
    case .locked, .lockedDebug: report = locked.statisticsReport()
    default: report = _GlibcHeap().statisticsReport()
    }
    _Environment.writeReport(report)
  }
}
