//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One allocator a program runs on in `bench --programs`: glibc, a preloaded library, or Python's own pymalloc.
struct ProgramAllocator {
  /// The name rows and the chart give it.
  var name: String
  /// The variables added to the program's environment.
  var environment: [String: String]
  /// Whether only the Python workloads run on it (python3 on its own C pymalloc).
  var pythonOnly = false

  /// Debian's shared objects of the other allocators.
  static let systemLibraries = "/usr/lib/x86_64-linux-gnu"

  /// glibc, jemalloc, mimalloc, tcmalloc, ours preloaded as the concurrent and the plain pymalloc, and python3 on
  /// its own pymalloc; every other program's Python runs with PYTHONMALLOC=malloc (programs.sh's default).
  static func all(preload: String) -> [ProgramAllocator] {
    [
      ProgramAllocator(name: "glibc", environment: [:]),
      ProgramAllocator(name: "jemalloc", environment: ["LD_PRELOAD": "\(systemLibraries)/libjemalloc.so.2"]),
      ProgramAllocator(name: "mimalloc", environment: ["LD_PRELOAD": "\(systemLibraries)/libmimalloc.so.2"]),
      ProgramAllocator(
        name: "tcmalloc", environment: ["LD_PRELOAD": "\(systemLibraries)/libtcmalloc_minimal.so.4"]),
      ProgramAllocator(name: "pymalloc_mt", environment: ["LD_PRELOAD": preload, "SWIFTMALLOC": "pymalloc_mt"]),
      ProgramAllocator(name: "pymalloc", environment: ["LD_PRELOAD": preload, "SWIFTMALLOC": "pymalloc"]),
      ProgramAllocator(name: "python-pymalloc", environment: ["PYTHONMALLOC": "pymalloc"], pythonOnly: true),
    ]
  }
}
