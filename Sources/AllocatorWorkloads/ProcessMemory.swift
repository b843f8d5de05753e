//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation

/// This process's resident memory, from `/proc/self/status`.
public struct ProcessMemory: Codable, Sendable, Equatable {
  /// `VmRSS`: resident now, in bytes.
  public var residentBytes: Int
  /// `VmHWM`: the peak resident set, in bytes.
  public var peakResidentBytes: Int

  /// The current figures; zero where `/proc` cannot be read.
  public static func current() -> ProcessMemory {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    func kilobytes(_ key: String) -> Int {
      guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * 1024
    }
    return ProcessMemory(residentBytes: kilobytes("VmRSS"), peakResidentBytes: kilobytes("VmHWM"))
  }

  /// Lowers `VmHWM` to the current `VmRSS` (Linux ≥ 4.0, `/proc/self/clear_refs`), so that a peak read later
  /// belongs to the work done after this call, not to start-up or parsing.
  ///
  /// - Returns: `false` when the kernel refused: the peak then still covers the whole process life.
  @discardableResult
  public static func resetPeak() -> Bool {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
    defer { try? handle.close() }
    return (try? handle.write(contentsOf: Data("5".utf8))) != nil
  }
}
