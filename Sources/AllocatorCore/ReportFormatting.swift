//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The number formatting of CPython's `_debugmallocstats` report, shared by every backend's text report.
public enum ReportFormatting {
  /// `value` with `,` between groups of three digits: `4194304` → `"4,194,304"`.
  public static func commaGrouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
      grouped.append(digit)
    }
    return value < 0 ? "-" + grouped : grouped
  }

  /// CPython's `printone`: the label padded with spaces to column 35 (none if it is longer), `=`, then the
  /// comma-grouped value right-aligned in 21 columns.
  public static func labeledValue(_ label: String, _ value: Int) -> String {
    let padding = String(repeating: " ", count: max(0, 35 - label.count))
    return label + padding + "=" + rightAligned(commaGrouped(value), width: 21)
  }

  /// `text` preceded by spaces up to `width` characters (unchanged if longer).
  public static func rightAligned(_ text: String, width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
