//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads

extension BenchRecord {
  /// A bench child's record of `body`: run once to warm up, then `rounds` times timed (the median is the figure),
  /// with the peak and retained RSS above the child's resident set before the warm-up.
  static func measuring(
    backend: String, workload: Workload, objects: Int, rounds: Int, _ body: () -> WorkloadMeasurement
  ) -> BenchRecord {
    ProcessMemory.resetPeak()
    let baseline = ProcessMemory.current().residentBytes
    _ = body()
    let timed = (0..<max(1, rounds)).map { _ in body() }
    let memory = ProcessMemory.current()
    let perOperation = timed.map(\.nanosecondsPerOperation)
    let retained = timed.last?.retainedResidentBytes ?? memory.residentBytes
    return BenchRecord(
      backend: backend, workload: workload.rawValue, objects: objects, unit: workload.unit,
      nanosecondsPerOperation: perOperation.median,
      roundNanosecondsPerOperation: perOperation, operations: timed.first?.operations ?? 0,
      peakResidentBytes: max(0, memory.peakResidentBytes - baseline), retainedResidentBytes: max(0, retained - baseline),
      ratio: nil)
  }

  /// This record of a threaded workload on `threads` threads, `locked` behind one mutex or not, with its
  /// operations per second from the ns/op (wall time over all threads' operations).
  func threaded(_ threads: Int, locked: Bool) -> BenchRecord {
    var record = self
    record.threads = threads
    record.locked = locked
    record.operationsPerSecond = nanosecondsPerOperation > 0 ? 1e9 / nanosecondsPerOperation : 0
    record.operationsPerSecondPerThread = (record.operationsPerSecond ?? 0) / Double(threads)
    return record
  }
}
