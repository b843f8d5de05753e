//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMallocPreload
import CSystemShim
import PymallocBackend

#if canImport(Glibc)
  import Glibc
#endif

/// The `_debug` backends of the process allocator: CPython's debug hooks over `Base`, one debug allocator per C and
/// C++ family, each writing its API id into every block (``DebugAPIIdentifier``: `'m'` for `malloc` and its
/// siblings, `'n'` for `new`, `'a'` for `new[]`) and checking it on free.
///
/// Blocks that glibc made before the backend was chosen (the loader's, libc's, the Swift runtime's) carry no debug
/// frame: a free, resize or size query recognises them by glibc's chunk header (``_GlibcHeap/isChunk(_:)``) and hands
/// them back to glibc. Every other pointer goes through the hooks, which print CPython's dump and abort on misuse.
///
/// Any thread may call: the hooks count and quarantine atomically, and `Base` is the process lock's single-owner
/// heap, the concurrent heap or glibc, so the GIL check of the mem and object families does not apply (the three
/// allocators follow the raw family's rules).
@usableFromInline
internal struct _ProcessDebugHooks<Base: Allocator> {
  @usableFromInline
  internal let malloc: DebugAllocator<Base>
  @usableFromInline
  internal let new: DebugAllocator<Base>
  @usableFromInline
  internal let newArray: DebugAllocator<Base>

  /// The hooks over `base`, with `SWIFTMALLOCTRACE`'s traceback depth, in memory that lives as long as the
  /// process (made while every allocation is still glibc's).
  internal static func make(base: Base) -> UnsafeMutablePointer<_ProcessDebugHooks> {
    let depth = _Environment.value(of: "SWIFTMALLOCTRACE").map { Int(atoi($0)) } ?? 0
    let context = DebugContext.make(options: DebugOptions(tracebackDepth: depth))
    func hooks(_ identifier: UInt8) -> DebugAllocator<Base> {
      DebugAllocator(family: .raw, apiIdentifier: identifier, base: base, context: context)
    }
    let state = UnsafeMutablePointer<_ProcessDebugHooks>.allocate(capacity: 1)
    state.initialize(
      to: _ProcessDebugHooks(
        malloc: hooks(DebugAPIIdentifier.malloc), new: hooks(DebugAPIIdentifier.new),
        newArray: hooks(DebugAPIIdentifier.newArray)))
    return state
  }

  /// The debug allocator of `family` (`SM_FAMILY_*`).
  @inline(__always)
  internal func hooks(for family: Int32) -> DebugAllocator<Base> {
    switch family {
    case Int32(SM_FAMILY_NEW): new
    case Int32(SM_FAMILY_NEW_ARRAY): newArray
    default: malloc
    }
  }
}

extension _ProcessDebugHooks {
  /// A block of `family`: alignments up to 16 are ordinary blocks, larger ones are rounded up to a power of two as
  /// glibc's `memalign` does (up to 64 KiB, the debug layout's largest).
  internal func allocate(_ byteCount: Int, alignment: Int, family: Int32) -> UnsafeMutableRawPointer? {
    let hooks = hooks(for: family)
    guard alignment > AllocationLimits.minimumAlignment else {
      return hooks.allocate(byteCount: byteCount) ?? _GlibcSemantics.outOfMemory()
    }
    let rounded = alignment.nonzeroBitCount == 1 ? alignment : 1 << (Int.bitWidth - alignment.leadingZeroBitCount)
    return hooks.allocate(byteCount: byteCount, alignment: rounded) ?? _GlibcSemantics.outOfMemory()
  }

  /// `calloc`.
  internal func allocateZeroed(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    malloc.allocateZeroed(count: count, stride: size) ?? _GlibcSemantics.outOfMemory()
  }

  /// Frees a block of `family`: a glibc block goes back to glibc, anything else is checked by the hooks.
  internal func free(_ pointer: UnsafeMutableRawPointer?, family: Int32) {
    guard let pointer else { return }
    guard !_GlibcHeap.isChunk(pointer) else { return __libc_free(pointer) }
    hooks(for: family).deallocate(pointer)
  }

  /// `realloc` under glibc's rules; a glibc block moves into a debug block of the malloc family, unless
  /// `keepingGlibcBlocks` (while the exit report is written): then glibc resizes it.
  internal func reallocate(_ pointer: UnsafeMutableRawPointer?, _ byteCount: Int, keepingGlibcBlocks: Bool)
    -> UnsafeMutableRawPointer?
  {
    guard let pointer else { return allocate(byteCount, alignment: 0, family: Int32(SM_FAMILY_MALLOC)) }
    guard byteCount != 0 else {
      free(pointer, family: Int32(SM_FAMILY_MALLOC))
      return nil
    }
    guard _GlibcHeap.isChunk(pointer) else {
      return malloc.reallocate(pointer, byteCount: byteCount) ?? _GlibcSemantics.outOfMemory()
    }
    guard !keepingGlibcBlocks else { return __libc_realloc(pointer, byteCount) }
    guard let moved = allocate(byteCount, alignment: 0, family: Int32(SM_FAMILY_MALLOC)) else { return nil }
    moved.copyMemory(from: pointer, byteCount: min(byteCount, _GlibcHeap().usableSize(of: pointer)))
    __libc_free(pointer)
    return moved
  }

  /// `malloc_usable_size`: the size a debug block's header records (the bytes the caller may use: the trailing
  /// pads follow them), glibc's answer for a glibc block.
  internal func usableSize(of pointer: UnsafeMutableRawPointer) -> Int {
    _GlibcHeap.isChunk(pointer) ? _GlibcHeap().usableSize(of: pointer) : malloc.usableSize(of: pointer)
  }
}
