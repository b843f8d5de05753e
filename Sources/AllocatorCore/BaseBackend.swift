//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The allocators the package implements; a ``BackendConfiguration`` adds debug hooks on top of one of them.
public enum BaseBackend: String, CaseIterable, Codable, Sendable {
  /// glibc's `malloc`, reached through `dlsym` on libc.
  case malloc
  /// pymalloc, CPython's small-object allocator, written from scratch.
  case pymalloc
  /// pymalloc with a heap per thread and frees from any thread (the concurrent pymalloc).
  case pymallocThreaded = "pymalloc_mt"
  /// jemalloc 5.3 through its own API, in an arena of its own.
  case jemalloc
  /// mimalloc 2.x through its own API, loaded at run time, in a heap of the set's own.
  case mimalloc

  /// The trait that compiles this backend in, if any.
  public var trait: String? {
    switch self {
    case .malloc: nil
    case .pymalloc, .pymallocThreaded: "Pymalloc"
    case .jemalloc: "Jemalloc"
    case .mimalloc: "Mimalloc"
    }
  }

  /// Whether the backend is built for callers that share no lock (its debug form drops CPython's GIL check).
  public var isFreeThreaded: Bool { self == .pymallocThreaded }

  /// The base allocator serving each family, as `PYTHONMALLOC` assigns them: pymalloc (both forms) and mimalloc keep
  /// glibc for raw.
  public func allocatorName(for family: Family) -> String {
    switch (self, family) {
    case (.pymalloc, .raw), (.pymallocThreaded, .raw): BaseBackend.malloc.rawValue
    case (.mimalloc, .raw): BaseBackend.malloc.rawValue
    default: rawValue
    }
  }
}
