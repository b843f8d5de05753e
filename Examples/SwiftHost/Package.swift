// swift-tools-version: 6.1
// A host app that depends on swift-malloc like any package: by path here (`swift-malloc` is a link to the
// repository root, so the package identity is `swift-malloc` wherever the clone lives), by URL and version in practice.
import PackageDescription

let package = Package(
  name: "SwiftHost",
  dependencies: [
    // Traits on the dependency line: the defaults (pymalloc, jemalloc, mimalloc). `traits: ["Pymalloc"]` alone keeps
    // glibc as the process malloc.
    .package(path: "swift-malloc", traits: [.defaults])
  ],
  targets: [
    .executableTarget(
      name: "SwiftHost",
      dependencies: [
        .product(name: "SwiftMallocRegistry", package: "swift-malloc"),
        .product(name: "AllocatorCore", package: "swift-malloc"),
      ])
  ]
)
