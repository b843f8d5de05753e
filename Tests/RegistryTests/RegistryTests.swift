//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Testing

@Suite("Backend names: precedence, families, refusals")
struct RegistryTests {
  @Test("--backend beats SWIFTMALLOC, which beats the build default; empty SWIFTMALLOC is unset")
  func precedence() throws {
    let flag = try Registry.select(flag: "malloc", environment: ["SWIFTMALLOC": "jemalloc"])
    #expect(flag.source == .flag && flag.configuration.base == .malloc)
    let environment = try Registry.select(flag: nil, environment: ["SWIFTMALLOC": "malloc_debug"])
    #expect(environment.source == .environment)
    #expect(environment.configuration == BackendConfiguration(base: .malloc, debugHooks: true))
    let unset = try Registry.select(flag: nil, environment: ["SWIFTMALLOC": ""])
    #expect(unset.source == .buildDefault && unset.requestedName == "default")
    #expect(unset.configuration.base == BuildConfiguration.defaultBase)
  }

  @Test("Each name serves the families as PYTHONMALLOC does")
  func families() throws {
    #expect(BuildConfiguration.defaultBase == (BuildConfiguration.isCompiledIn(.pymalloc) ? .pymalloc : .malloc))
    let malloc = try Registry.configuration(named: "malloc")
    #expect(Family.allCases.map(malloc.allocatorName(for:)) == ["malloc", "malloc", "malloc"])
    let debug = try Registry.configuration(named: "debug")
    #expect(debug == BackendConfiguration(base: BuildConfiguration.defaultBase, debugHooks: true))
    if BuildConfiguration.isCompiledIn(.pymalloc) {
      let pymalloc = try Registry.configuration(named: "pymalloc")
      #expect(Family.allCases.map(pymalloc.allocatorName(for:)) == ["malloc", "pymalloc", "pymalloc"])
      let pymallocDebug = try Registry.configuration(named: "pymalloc_debug")
      #expect(pymallocDebug.allocatorName(for: .raw) == "malloc+debug")
      #expect(pymallocDebug.name == "pymalloc_debug")
    }
    if BuildConfiguration.isCompiledIn(.jemalloc) {
      let jemalloc = try Registry.configuration(named: "jemalloc")
      #expect(Family.allCases.map(jemalloc.allocatorName(for:)) == ["jemalloc", "jemalloc", "jemalloc"])
    }
    if BuildConfiguration.isCompiledIn(.mimalloc) {
      let mimalloc = try Registry.configuration(named: "mimalloc")
      #expect(Family.allCases.map(mimalloc.allocatorName(for:)) == ["malloc", "mimalloc", "mimalloc"])
    }
    #expect(Registry.acceptedNames.contains("malloc") && Registry.acceptedNames.contains("malloc_debug"))
  }

  @Test("An unknown name is refused with the value and the accepted names")
  func unknown() {
    #expect {
      try Registry.select(flag: nil, environment: ["SWIFTMALLOC": "bogus"])
    } throws: { error in
      let description = (error as? BackendSelectionError)?.description ?? ""
      return description.hasPrefix("SWIFTMALLOC=bogus: unknown backend 'bogus'; this build accepts: default, debug")
    }
    #expect(throws: BackendSelectionError.self) { try Registry.configuration(named: "pymalloc_debug_debug") }
    #expect(throws: BackendSelectionError.self) { try Registry.configuration(named: "") }
  }

  @Test("cpython is a benchmark reference, never a configuration")
  func reference() {
    #expect {
      try Registry.configuration(named: "cpython", source: .flag)
    } throws: { error in
      (error as? BackendSelectionError)?.reason == .referenceOnly
        && "\(error)".hasPrefix("--backend cpython: 'cpython' is the benchmark-only CPython reference")
    }
  }

  @Test("tcmalloc is a benchmark reference too, never a configuration")
  func tcmallocReference() {
    #expect {
      try Registry.configuration(named: "tcmalloc", source: .environment)
    } throws: { error in
      (error as? BackendSelectionError)?.reason == .referenceOnly
        && "\(error)".hasPrefix("SWIFTMALLOC=tcmalloc: 'tcmalloc' is the benchmark-only tcmalloc reference")
    }
  }

  @Test("A backend whose library does not load is refused with the loader's reason")
  func unavailable() {
    let error = BackendSelectionError(
      name: "mimalloc", reason: .unavailable(.mimalloc, "libmimalloc.so.2: cannot open shared object file"),
      source: .flag, acceptedNames: ["default", "malloc"])
    #expect(
      error.description
        == "--backend mimalloc: mimalloc is unavailable in this process: libmimalloc.so.2: cannot open shared object "
        + "file; this build accepts: default, malloc")
  }

  @Test("A backend left out of the build is refused as CPython refuses it")
  func notCompiledIn() {
    let error = BackendSelectionError(
      name: "pymalloc", reason: .notCompiledIn(.pymalloc), source: .environment, acceptedNames: ["default", "malloc"])
    #expect(
      error.description
        == "SWIFTMALLOC=pymalloc: this build was built without pymalloc (enable the Pymalloc trait); "
        + "this build accepts: default, malloc")
  }
}
