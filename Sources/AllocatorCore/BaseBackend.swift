//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The allocators the package implements; a ``BackendConfiguration`` adds debug hooks on top of one of them.
public enum BaseBackend: String, CaseIterable, Codable, Sendable {
  /// glibc's `malloc`, reached through `dlsym` on libc.
  case malloc
  /// pymalloc, CPython's small-object allocator, written from scratch.
  case pymalloc
  /// jemalloc 5.3 through its own API, in an arena of its own.
  case jemalloc

  /// The trait that compiles this backend in, if any.
  public var trait: String? {
    switch self {
    case .malloc: nil
    case .pymalloc: "Pymalloc"
    case .jemalloc: "Jemalloc"
    }
  }

  /// The base allocator serving each family, as `PYTHONMALLOC` assigns them: pymalloc keeps glibc for raw.
  public func allocatorName(for family: Family) -> String {
    switch (self, family) {
    case (.pymalloc, .raw): BaseBackend.malloc.rawValue
    default: rawValue
    }
  }
}
