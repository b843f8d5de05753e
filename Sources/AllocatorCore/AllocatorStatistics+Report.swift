//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension AllocatorStatistics {
  /// The statistics as text: one `label = value` line per known counter, then the extras in name order.
  public func reportText() -> String {
    var lines = ["Statistics for backend \(backend)", ""]
    func line(_ label: String, _ value: Int?) {
      guard let value else { return }
      lines.append(ReportFormatting.labeledValue(label, value))
    }
    line("# live blocks", liveBlocks)
    line("# bytes in allocated blocks", allocatedBytes)
    line("# bytes requested by live blocks", liveRequestedBytes)
    line("# bytes mapped from the OS", mappedBytes)
    line("# bytes resident", residentBytes)
    for (name, value) in extras.sorted(by: { $0.key < $1.key }) {
      line(name, value)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
