//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation

/// The machine a benchmark ran on.
struct MachineInfo: Codable {
  var cpuModel: String
  var cores: Int
  var kernel: String

  /// Read from `/proc/cpuinfo` and `uname`.
  static func current() -> MachineInfo {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
      .flatMap { $0.split(separator: ":", maxSplits: 1).last }
      .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    var name = utsname()
    uname(&name)
    let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    return MachineInfo(cpuModel: model, cores: ProcessInfo.processInfo.activeProcessorCount, kernel: release)
  }
}
