//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// pymalloc's report invariant, read from the text: the breakdown's `Total` equals the arenas line
/// (`N arenas * 1048576 bytes/arena = …`). Reports without an arenas line have nothing to check.
enum _ReportInvariant {
  static func problem(in report: String) -> String? {
    let lines = report.split(separator: "\n")
    guard let arenas = lines.first(where: { $0.contains("bytes/arena") }).flatMap(value),
      let total = lines.first(where: { $0.hasPrefix("Total") }).flatMap(value)
    else { return nil }
    return total == arenas ? nil : "Total \(total) differs from the arenas' \(arenas) bytes"
  }

  /// The number after `=`, commas removed.
  private static func value(_ line: Substring) -> Int? {
    guard let equals = line.lastIndex(of: "=") else { return nil }
    return Int(line[line.index(after: equals)...].filter { $0 != "," && $0 != " " })
  }
}
