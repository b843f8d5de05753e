//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser
import SwiftMallocRegistry
import TcmallocReferenceBackend

#if Pymalloc
  import PymallocBackend
#endif

#if CPythonReference
  import CPythonReferenceBackend
#endif

/// Work run on one allocator, specialized for its concrete type.
protocol AllocatorJob {
  associatedtype Output
  func run<A: Allocator>(_ allocator: A) -> Output
}

/// Resolves `name` once and runs `job` on the object family of a new set (or on a reference).
func withAllocator<Job: AllocatorJob>(named name: String, _ job: Job) throws -> Job.Output {
  try withObjectFamily(named: name, threadShared: false, PlainObjectFamily(job: job))
}

/// Work run on a set's object family, given the set's debug-hook state too.
protocol ObjectFamilyBody {
  associatedtype Output
  func run<A: Allocator>(_ object: A, debugContext: DebugContext?) -> Output
}

/// Resolves `name` once and runs `body` on the object family of a new set — one for threads sharing it
/// (``BackendConfiguration/withNewThreadSharedAllocatorSet(_:)``) when `threadShared` — or on the reference.
func withObjectFamily<Body: ObjectFamilyBody>(
  named name: String, threadShared: Bool, _ body: Body
) throws -> Body.Output {
  if name == "tcmalloc" {
    if let reason = TcmallocAllocator.unavailability { throw ValidationError("tcmalloc is unavailable: \(reason)") }
    return body.run(TcmallocAllocator(), debugContext: nil)
  }
  if Registry.referenceNames.contains(name) {
    #if CPythonReference
      return body.run(CPythonAllocator(), debugContext: nil)
    #else
      throw ValidationError("'\(name)' is not built: enable the CPythonReference trait (make run and make bench do)")
    #endif
  }
  do {
    let configuration = try Registry.configuration(named: name, source: .flag)
    let setBody = ObjectFamilyJob(body: body)
    return threadShared
      ? configuration.withNewThreadSharedAllocatorSet(setBody) : configuration.withNewAllocatorSet(setBody)
  } catch {
    throw ValidationError(error.description)
  }
}

/// Hands a set's object family to an ``ObjectFamilyBody``.
private struct ObjectFamilyJob<Body: ObjectFamilyBody>: AllocatorSetBody {
  let body: Body
  func run<Set: AllocatorSet>(_ set: Set) -> Body.Output { body.run(set.object, debugContext: set.debugContext) }
}

/// Hands an object family to an ``AllocatorJob``.
private struct PlainObjectFamily<Job: AllocatorJob>: ObjectFamilyBody {
  let job: Job
  func run<A: Allocator>(_ object: A, debugContext: DebugContext?) -> Job.Output { job.run(object) }
}

/// The backends `bench` and `replay` compare by default: every compiled-in base backend that can run in this
/// process, pymalloc with its options (``BenchVariant``), plus the references that are built and load.
var benchmarkableBackends: [String] {
  BuildConfiguration.compiledBackends.filter { BuildConfiguration.runtimeUnavailability(of: $0) == nil }.map(\.rawValue)
    + BenchVariant.all.filter { BuildConfiguration.isCompiledIn($0.base) }.map(\.name)
    + (BuildConfiguration.cpythonReferenceCompiledIn ? ["cpython"] : [])
    + (TcmallocAllocator.unavailability == nil ? ["tcmalloc"] : [])
}

/// The backends built into this binary that `bench` and `replay` leave out because they cannot run in this
/// process, each as one line naming the reason (a library that did not load).
var skippedBackends: [(name: String, line: String)] {
  let bases = BuildConfiguration.compiledBackends.compactMap { base in
    BuildConfiguration.runtimeUnavailability(of: base).map { (base.rawValue, $0) }
  }
  let references = TcmallocAllocator.unavailability.map { [("tcmalloc", $0)] } ?? []
  return (bases + references).map { name, reason in (name, "\(name) skipped: \(reason)") }
}

/// Throws a usage error for the first of `names` that `command` cannot run, saying why.
func requireBenchmarkable(_ names: [String], command: String) throws {
  for name in names where !(benchmarkableBackends + Registry.acceptedNames).contains(name) {
    if let skipped = skippedBackends.first(where: { $0.name == name }) { throw ValidationError(skipped.line) }
    throw ValidationError(
      "unknown or unbuilt backend '\(name)'; \(command) accepts: "
        + (benchmarkableBackends + Registry.acceptedNames).joined(separator: ", "))
  }
}

/// A benchmark-only variant: a backend run with options CPython does not have, set through the environment of the
/// bench child. What each setting does comes from pymalloc's options table (``description``).
struct BenchVariant {
  var name: String
  var base: BaseBackend
  var environment: KeyValuePairs<String, String>

  static let all = [
    // Retained RSS: empty pools of arenas at least a quarter used give their pages back after every 64 emptied
    // (`immediate` would cost an madvise per emptied pool).
    BenchVariant(name: "pymalloc+purge", base: .pymalloc, environment: ["SWIFTMALLOC_PURGE": "64"]),
    // The speed options that do not hold blocks back.
    BenchVariant(
      name: "pymalloc+fast", base: .pymalloc,
      environment: [
        "SWIFTMALLOC_KEEP_EMPTY_POOL": "1", "SWIFTMALLOC_REALLOC_HEADROOM": "1", "SWIFTMALLOC_RETAINED_ARENAS": "128",
      ]),
    // The hardened mode's cost, beside the same backend without it.
    BenchVariant(name: "pymalloc+harden", base: .pymalloc, environment: ["SWIFTMALLOC_HARDEN": "1"]),
    BenchVariant(name: "pymalloc_mt+harden", base: .pymallocThreaded, environment: ["SWIFTMALLOC_HARDEN": "1"]),
  ]

  /// The settings as a shell prefix: `SWIFTMALLOC_PURGE=64`.
  var settings: String { environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

  /// Each setting and what it does, from the options table.
  var description: String {
    #if Pymalloc
      environment.map { key, value in
        let effect = PymallocOptions.table.first { $0.environmentVariable == key }?.effect ?? "?"
        return "\(key)=\(value): \(effect)"
      }.joined(separator: "; ")
    #else
      settings
    #endif
  }

  /// The child arguments' backend and the environment for a bench backend name.
  static func childBackend(for name: String) -> (backend: String, environment: [String: String]) {
    guard let variant = all.first(where: { $0.name == name }) else { return (name, [:]) }
    return (variant.base.rawValue, Dictionary(uniqueKeysWithValues: variant.environment.map { ($0.key, $0.value) }))
  }
}
