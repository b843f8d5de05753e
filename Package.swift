// swift-tools-version: 6.1
//
// swift-malloc: CPython's small-object allocator (pymalloc) for Swift, beside glibc malloc and jemalloc,
// behind one `Allocator` protocol.
//
// Traits choose the backends at build time (CPython's `--with/--without-pymalloc`):
//   swift build                             pymalloc + jemalloc + mimalloc + glibc (the defaults)
//   swift build --traits Jemalloc           the `--without-pymalloc` build: jemalloc + glibc
//   swift build --disable-default-traits    glibc only; needs no -dev package
//   swift build --traits default,CPythonReference
//                                           adds the benchmark-only `cpython` reference (libpython3.11-dev)
//
// Compile-time switches (pass with -Xswiftc -D<NAME>):
//   PYMALLOC_INTERNAL_CHECKS   expensive invariant checks of the pymalloc heap after every operation
//   SWIFTMALLOC_ASAN           ASan poisoning inside pymalloc's arenas (also -Xcc -D<NAME>, with --sanitize=address)
//   SWIFTMALLOC_VALGRIND       memcheck's memory-pool requests for pymalloc's blocks (also -Xcc -D<NAME>)
import PackageDescription

let package = Package(
  name: "swift-malloc",
  products: [
    .library(name: "AllocatorCore", targets: ["AllocatorCore"]),
    .library(name: "SystemBackend", targets: ["SystemBackend"]),
    .library(name: "PymallocBackend", targets: ["PymallocBackend"]),
    .library(name: "JemallocBackend", targets: ["JemallocBackend", "CJemallocLinked"]),
    .library(name: "MimallocBackend", targets: ["MimallocBackend"]),
    .library(name: "SwiftMallocRegistry", targets: ["SwiftMallocRegistry", "CJemallocLinked"]),
    .executable(name: "swiftmalloc", targets: ["SwiftMallocCLI"]),
    .executable(name: "swiftmalloc-fuzz", targets: ["SwiftMallocFuzz"]),
    .library(name: "SwiftMalloc", type: .dynamic, targets: ["SwiftMallocCABI"]),
    // The process allocator: LD_PRELOAD it, or link it, and it serves the whole process's malloc and C++ new.
    .library(name: "swiftmalloc-preload", type: .dynamic, targets: ["SwiftMallocPreload"]),
  ],
  traits: [
    .trait(name: "Pymalloc", description: "Build the pymalloc backend (CPython's --with-pymalloc)."),
    .trait(
      name: "Jemalloc",
      description: "Build the jemalloc backend. Links Debian's libjemalloc, which becomes the process-wide malloc."),
    .trait(
      name: "Mimalloc",
      description:
        "Build the mimalloc backend. Loads Debian's libmimalloc.so.2 at run time with RTLD_LOCAL (the header comes "
        + "from libmimalloc-dev), so mimalloc does not become the process-wide malloc."),
    .trait(
      name: "CPythonReference",
      description: "Build the benchmark-only `cpython` reference backend against libpython3.11 (python3-embed)."),
    .trait(
      name: "Fuzzing",
      description: "Build swiftmalloc-fuzz as a libFuzzer target (with --sanitize=fuzzer); `make fuzz` sets it."),
    .default(enabledTraits: ["Pymalloc", "Jemalloc", "Mimalloc"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // `swift package generate-documentation --target AllocatorCore` (or PymallocBackend) builds the DocC catalogs.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
  ],
  targets: [
    // MARK: C shims
    .target(
      name: "CSystemShim",
      linkerSettings: [.linkedLibrary("dl")]),
    .systemLibrary(
      name: "CPython",
      pkgConfig: "python3-embed",
      providers: [.apt(["libpython3.11-dev"])]),
    .target(name: "CPymallocShim"),
    .target(
      name: "CJemallocShim",
      dependencies: ["CSystemShim"]),
    // Links libjemalloc into executables (see its .c); libSwiftMalloc.so leaves it out so that it can be dlopen'ed.
    .target(
      name: "CJemallocLinked",
      linkerSettings: [.linkedLibrary("jemalloc", .when(traits: ["Jemalloc"]))]),
    .target(
      name: "CMimallocShim",
      dependencies: ["CSystemShim"]),
    .target(
      name: "CTcmallocShim",
      dependencies: ["CSystemShim"]),

    // MARK: Core and backends
    .target(
      name: "AllocatorCore",
      dependencies: [
        "CSystemShim",
        .target(name: "CJemallocShim", condition: .when(traits: ["Jemalloc"])),
        .target(name: "CMimallocShim", condition: .when(traits: ["Mimalloc"])),
      ]),
    .target(
      name: "SystemBackend",
      dependencies: ["AllocatorCore", "CSystemShim"]),
    .target(
      name: "PymallocBackend",
      dependencies: ["AllocatorCore", "CSystemShim", "CPymallocShim"]),
    .target(
      name: "JemallocBackend",
      dependencies: [
        "AllocatorCore",
        .target(name: "CJemallocShim", condition: .when(traits: ["Jemalloc"])),
      ]),
    .target(
      name: "MimallocBackend",
      dependencies: [
        "AllocatorCore",
        .target(name: "CMimallocShim", condition: .when(traits: ["Mimalloc"])),
      ]),
    .target(
      name: "CPythonReferenceBackend",
      dependencies: [
        "AllocatorCore", "CSystemShim",
        .target(name: "CPython", condition: .when(traits: ["CPythonReference"])),
      ]),
    // The `tcmalloc` reference only opens its library at run time, so it needs no trait (see README).
    .target(
      name: "TcmallocReferenceBackend",
      dependencies: ["AllocatorCore", "CTcmallocShim"]),
    .target(
      name: "AllocatorWorkloads",
      dependencies: ["AllocatorCore"]),
    .target(
      name: "SwiftMallocRegistry",
      dependencies: [
        "AllocatorCore",
        "SystemBackend",
        .target(name: "PymallocBackend", condition: .when(traits: ["Pymalloc"])),
        .target(name: "JemallocBackend", condition: .when(traits: ["Jemalloc"])),
        .target(name: "MimallocBackend", condition: .when(traits: ["Mimalloc"])),
      ]),

    // MARK: Fuzzing (make fuzz): a differential oracle over every backend, and its libFuzzer / corpus driver
    .target(
      name: "AllocatorFuzzing",
      dependencies: [
        "AllocatorCore", "AllocatorWorkloads", "SwiftMallocRegistry", "SystemBackend",
        .target(name: "PymallocBackend", condition: .when(traits: ["Pymalloc"])),
      ]),
    .executableTarget(
      name: "SwiftMallocFuzz",
      dependencies: ["AllocatorFuzzing", "AllocatorWorkloads", "AllocatorCore", "CJemallocLinked"]),

    // MARK: C ABI (libSwiftMalloc.so, swiftmalloc.h, pymem_compat.h)
    .target(name: "CSwiftMalloc", dependencies: ["CSystemShim"]),
    .target(
      name: "SwiftMallocCABI",
      dependencies: ["CSwiftMalloc", "SwiftMallocRegistry", "AllocatorCore"]),

    // MARK: The process allocator (libswiftmalloc-preload.so)
    .target(name: "CSwiftMallocPreload", dependencies: ["CSystemShim"]),
    .target(
      name: "SwiftMallocPreload",
      dependencies: ["CSwiftMallocPreload", "PymallocBackend", "AllocatorCore", "CSystemShim"]),

    // MARK: Command-line tool
    .executableTarget(
      name: "SwiftMallocCLI",
      dependencies: [
        "SwiftMallocRegistry",
        "CJemallocLinked",
        .target(name: "PymallocBackend", condition: .when(traits: ["Pymalloc"])),
        "AllocatorWorkloads",
        .target(name: "CPythonReferenceBackend", condition: .when(traits: ["CPythonReference"])),
        "TcmallocReferenceBackend",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: Tests
    .target(
      name: "CSyscallRefusal",
      path: "Tests/CSyscallRefusal"),
    .testTarget(
      name: "CLITests",
      dependencies: ["SwiftMallocCLI", "AllocatorCore", "TcmallocReferenceBackend"]),
    .testTarget(
      name: "SystemBackendTests",
      dependencies: [
        "SystemBackend", "AllocatorCore", "CSystemShim", "CSyscallRefusal",
        .target(name: "JemallocBackend", condition: .when(traits: ["Jemalloc"])),
        .target(name: "CJemallocShim", condition: .when(traits: ["Jemalloc"])),
      ]),
    .testTarget(
      name: "MimallocBackendTests",
      dependencies: [
        "AllocatorCore", "CSystemShim", "SwiftMallocRegistry",
        .target(name: "MimallocBackend", condition: .when(traits: ["Mimalloc"])),
        .target(name: "CMimallocShim", condition: .when(traits: ["Mimalloc"])),
      ]),
    .testTarget(
      name: "RegistryTests",
      dependencies: ["AllocatorCore", "CJemallocLinked"]),
    .testTarget(
      name: "WorkloadTests",
      dependencies: ["AllocatorWorkloads", "SwiftMallocRegistry", "AllocatorCore"]),
    .testTarget(
      name: "DebugHooksTests",
      dependencies: [
        "SwiftMallocCLI", "SwiftMallocRegistry", "AllocatorCore", "SystemBackend", "PymallocBackend",
        .target(name: "JemallocBackend", condition: .when(traits: ["Jemalloc"])),
        .target(name: "MimallocBackend", condition: .when(traits: ["Mimalloc"])),
      ]),
    .testTarget(
      name: "ProcessHeapTests",
      dependencies: ["SwiftMallocCABI", "CSwiftMalloc", "AllocatorCore"]),
    .testTarget(
      name: "FuzzTests",
      dependencies: ["AllocatorFuzzing", "AllocatorWorkloads", "SwiftMallocRegistry", "AllocatorCore"]),
    .testTarget(
      name: "ConformanceTests",
      dependencies: ["SwiftMallocRegistry", "AllocatorCore"]),
    .testTarget(
      name: "PymallocBackendTests",
      dependencies: ["PymallocBackend", "CPymallocShim", "SystemBackend", "AllocatorCore", "AllocatorWorkloads"]),
  ]
)
