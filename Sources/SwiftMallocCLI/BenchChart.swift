//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads
import Foundation

/// An SVG bar chart of a bench run: ns/op per workload (one bar per backend, each group scaled to its slowest bar,
/// value printed on the bar) and, below, peak RSS per workload; with threaded workloads, a third panel of their
/// total ops/s, one group per workload and thread count, every group of a workload on one scale so that the bars
/// show how each backend scales with threads.
enum BenchChart {
  private static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]
  static let width = 1100.0
  static let panelHeight = 260.0

  static func svg(_ document: BenchDocument) -> String {
    let backends = document.records.map(\.backend).uniqued()
    let (single, threaded) = BenchTable.partitioned(document.records)
    let groups = single.map { group($0) }.uniqued()
    let panels = threaded.isEmpty ? 2.0 : 3.0
    let legendTop = panels * (panelHeight + 40) + 35
    var body = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(legendTop + 25))\" "
        + "font-family=\"sans-serif\" font-size=\"11\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      text(x: 20, y: 24, "swiftmalloc bench — \(document.machine.cpuModel), \(document.machine.cores) cores, "
        + BenchTable.medianSummary(document) + "; ratio vs \(document.baseline)", size: 14, weight: "bold"),
      text(x: 20, y: 40, BenchTable.residentSummary(document.resident)),
    ]
    body += panel(
      "ns per op (lower is better)", top: 50, groups: groups, backends: backends, records: single,
      value: \.nanosecondsPerOperation, label: { String(format: "%.1f", $0) })
    body += panel(
      "peak RSS, MiB (lower is better)", top: 90 + panelHeight, groups: groups, backends: backends, records: single,
      value: { Double($0.peakResidentBytes) / 1_048_576 }, label: { String(format: $0 < 10 ? "%.1f" : "%.0f", $0) })
    if !threaded.isEmpty {
      let top = 130 + 2 * panelHeight
      body += panel(
        "threads: total ops/s, millions (higher is better)", top: top, groups: threaded.map { group($0) }.uniqued(),
        backends: backends, records: threaded, value: { ($0.operationsPerSecond ?? 0) / 1e6 },
        label: { String(format: $0 < 10 ? "%.1f" : "%.0f", $0) }, scale: \.workload)
      let locked = BenchTable.lockedBackends(threaded)
      let note = locked.isEmpty
        ? "every backend called directly"
        : "behind one process-wide mutex (not thread-safe): " + locked.joined(separator: ", ")
      body.append(text(x: 20, y: top + 266, note, size: 9))
    }
    for (index, backend) in backends.enumerated() {
      let x = 20 + Double(index) * 150
      body.append("<rect x=\"\(x)\" y=\"\(legendTop)\" width=\"12\" height=\"12\" fill=\"\(color(index))\"/>")
      body.append(text(x: x + 18, y: legendTop + 11, backend))
    }
    return (body + ["</svg>"]).joined(separator: "\n") + "\n"
  }

  /// One panel: a group of bars per name in `groups`, a bar per backend; the bars of groups whose records share a
  /// `scale` key are drawn to one scale, their largest value full height.
  static func panel(
    _ title: String, top: Double, groups: [String], backends: [String], records allRecords: [BenchRecord],
    value: (BenchRecord) -> Double, label: (Double) -> String, scale: (BenchRecord) -> String = { group($0) }
  ) -> [String] {
    var shapes = [text(x: 20, y: top + 12, title, size: 12, weight: "bold")]
    let groupWidth = (width - 40) / Double(max(1, groups.count))
    let barWidth = min(28, (groupWidth - 16) / Double(max(1, backends.count)))
    let plotTop = top + 30
    let plotHeight = panelHeight - 60
    for (groupIndex, name) in groups.enumerated() {
      let records = allRecords.filter { group($0) == name }
      let scaleKey = records.first.map(scale)
      let largest = allRecords.filter { scale($0) == scaleKey }.map(value).max() ?? 1
      let left = 20 + Double(groupIndex) * groupWidth + 8
      for (backendIndex, backend) in backends.enumerated() {
        guard let record = records.first(where: { $0.backend == backend }) else { continue }
        let height = largest > 0 ? value(record) / largest * plotHeight : 0
        let x = left + Double(backendIndex) * barWidth
        let y = plotTop + plotHeight - height
        shapes.append(
          "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth - 2)\" height=\"\(height)\" fill=\"\(color(backendIndex))\"/>")
        shapes.append(text(x: x, y: y - 3, label(value(record)), size: 9))
      }
      shapes.append(text(x: left, y: plotTop + plotHeight + 16, name))
    }
    return shapes
  }

  private static func group(_ record: BenchRecord) -> String {
    if let threads = record.threads { return "\(record.workload) T=\(threads)" }
    return record.workload == "scale" ? "scale N=\(record.objects)" : record.workload
  }

  static func color(_ index: Int) -> String { palette[index % palette.count] }

  static func text(x: Double, y: Double, _ content: String, size: Int = 11, weight: String = "normal")
    -> String
  {
    let escaped = content.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    return "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" font-weight=\"\(weight)\">\(escaped)</text>"
  }
}
