//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// CPython's three allocator domains. Memory from one family must never be freed by another.
///
/// | family | CPython functions | debug API id | caller must hold the heap |
/// |---|---|---|---|
/// | ``raw`` | `PyMem_RawMalloc/Calloc/Realloc/Free` | `'r'` | no: must be thread-safe |
/// | ``mem`` | `PyMem_Malloc/Calloc/Realloc/Free` | `'m'` | yes |
/// | ``object`` | `PyObject_Malloc/Calloc/Realloc/Free` | `'o'` | yes |
public enum Family: UInt8, CaseIterable, Codable, Sendable {
  /// `PyMem_Raw*`: thread-safe, backed by the system allocator by default.
  case raw = 0x72  // "r"
  /// `PyMem_*`: pymalloc by default.
  case mem = 0x6D  // "m"
  /// `PyObject_*`: pymalloc by default.
  case object = 0x6F  // "o"

  /// The byte the debug layer writes before each block, as CPython's `api_id`.
  @inlinable
  public var apiIdentifier: UInt8 { rawValue }

  /// The family's name as the registry and the CLI print it.
  public var name: String {
    switch self {
    case .raw: "raw"
    case .mem: "mem"
    case .object: "object"
    }
  }

  /// Whether calls must come from the thread that holds the heap (CPython's GIL check).
  public var requiresHeapOwner: Bool { self != .raw }
}
