//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The API ids a debug block's id byte may hold (CPython's `api_id`): the three CPython families' and the process
/// allocator's C and C++ families, whose `new` and `new[]` must not be freed by another either.
///
/// | id | allocated by | freed by |
/// |---|---|---|
/// | `'r'`, `'m'`, `'o'` | ``Family/raw``, ``Family/mem``, ``Family/object`` | the same family |
/// | `'m'` | the process's `malloc`, `calloc`, `realloc`, the memalign family | `free`, `realloc` |
/// | `'n'` | C++ `operator new` (every form) | `operator delete` |
/// | `'a'` | C++ `operator new[]` (every form) | `operator delete[]` |
///
/// The process allocator's header (`CSwiftMallocPreload.h`, `SM_FAMILY_*`) uses the same bytes.
public enum DebugAPIIdentifier {
  /// `malloc` and its siblings: CPython's mem id, as a C program's heap is what `PyMem_*` calls reach there.
  public static let malloc = Family.mem.apiIdentifier
  /// C++ `operator new`.
  public static let new: UInt8 = 0x6E  // "n"
  /// C++ `operator new[]`.
  public static let newArray: UInt8 = 0x61  // "a"

  /// Whether `byte` is one of the ids: a block whose id byte is anything else was not framed by the debug hooks.
  @inlinable
  public static func isKnown(_ byte: UInt8) -> Bool {
    Family(rawValue: byte) != nil || byte == new || byte == newArray
  }
}
