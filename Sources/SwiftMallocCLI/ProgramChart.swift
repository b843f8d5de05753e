//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The SVG chart of a `bench --programs` run: wall time per program (one bar per allocator) and, below, peak RSS,
/// drawn with ``BenchChart``'s panels.
enum ProgramChart {
  static func svg(_ document: ProgramBenchDocument) -> String {
    let records = document.records.map(benchRecord)
    let allocators = records.map(\.backend).uniqued()
    let programs = records.map(\.workload).uniqued()
    let legendTop = 2 * (BenchChart.panelHeight + 40) + 35
    var body = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(BenchChart.width))\" height=\"\(Int(legendTop + 25))\" "
        + "font-family=\"sans-serif\" font-size=\"11\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      BenchChart.text(x: 20, y: 24, "swiftmalloc bench --programs", size: 14, weight: "bold"),
      BenchChart.text(x: 20, y: 40, ProgramTable.footer(document), size: 9),
    ]
    body += BenchChart.panel(
      "wall time, s (lower is better)", top: 50, groups: programs, backends: allocators, records: records,
      value: { $0.nanosecondsPerOperation }, label: { String(format: "%.2f", $0) })
    body += BenchChart.panel(
      "peak RSS, MiB (lower is better)", top: 90 + BenchChart.panelHeight, groups: programs, backends: allocators,
      records: records, value: { Double($0.peakResidentBytes) / 1_048_576 },
      label: { String(format: $0 < 10 ? "%.1f" : "%.0f", $0) })
    for (index, allocator) in allocators.enumerated() {
      let x = 20 + Double(index) * 150
      let color = BenchChart.color(index)
      body.append("<rect x=\"\(x)\" y=\"\(legendTop)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>")
      body.append(BenchChart.text(x: x + 18, y: legendTop + 11, allocator))
    }
    return (body + ["</svg>"]).joined(separator: "\n") + "\n"
  }

  /// A program record in the shape the panels draw: the program as the workload, wall seconds as the value.
  private static func benchRecord(_ record: ProgramRecord) -> BenchRecord {
    BenchRecord(
      backend: record.allocator, workload: record.program, objects: 1, unit: "s",
      nanosecondsPerOperation: record.wallSeconds, roundNanosecondsPerOperation: [], operations: 1,
      peakResidentBytes: record.peakResidentBytes, retainedResidentBytes: 0)
  }
}
