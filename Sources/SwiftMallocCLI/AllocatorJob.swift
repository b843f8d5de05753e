//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import ArgumentParser
import SwiftMallocRegistry

#if CPythonReference
  import CPythonReferenceBackend
#endif

/// Work run on one allocator, specialized for its concrete type.
protocol AllocatorJob {
  associatedtype Output
  func run<A: Allocator>(_ allocator: A) -> Output
}

/// Resolves `name` once and runs `job` on the object family of a new set (or on the `cpython` reference).
func withAllocator<Job: AllocatorJob>(named name: String, _ job: Job) throws -> Job.Output {
  if Registry.referenceNames.contains(name) {
    #if CPythonReference
      return job.run(CPythonAllocator())
    #else
      throw ValidationError("'\(name)' is not built: enable the CPythonReference trait (make run and make bench do)")
    #endif
  }
  do {
    return try Registry.configuration(named: name, source: .flag).withNewAllocatorSet(ObjectFamilyJob(job: job))
  } catch {
    throw ValidationError(error.description)
  }
}

/// Hands a set's object family to an ``AllocatorJob``.
private struct ObjectFamilyJob<Job: AllocatorJob>: AllocatorSetBody {
  let job: Job
  func run<Set: AllocatorSet>(_ set: Set) -> Job.Output { job.run(set.object) }
}

/// The backends `bench` and `replay` compare by default: every compiled-in base backend, plus the reference.
var benchmarkableBackends: [String] {
  BuildConfiguration.compiledBackends.map(\.rawValue)
    + (BuildConfiguration.cpythonReferenceCompiledIn ? Registry.referenceNames : [])
}
