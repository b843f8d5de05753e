//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One program × allocator of `bench --programs`: medians over its processes, ratios to glibc.
struct ProgramRecord: Codable {
  var program: String
  var allocator: String
  /// Median wall time of the whole process, in seconds.
  var wallSeconds: Double
  /// Every process's wall time, in run order.
  var processWallSeconds: [Double]
  /// Median peak RSS of the program's process tree (GNU time's `%M`, from `wait4`), in bytes.
  var peakResidentBytes: Int
  /// Wall time over glibc's for the same program.
  var wallRatio: Double?
  /// Peak RSS over glibc's for the same program.
  var residentRatio: Double?
}

/// The whole `bench --programs` document, as `--json-output` writes it.
struct ProgramBenchDocument: Codable {
  var machine: MachineInfo
  var command: String
  var processes: Int
  var records: [ProgramRecord]
}
