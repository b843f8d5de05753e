//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorWorkloads
import Foundation

/// An SVG bar chart of a bench run: ns/op per workload (one bar per backend, each group scaled to its slowest bar,
/// value printed on the bar) and, below, peak RSS per workload.
enum BenchChart {
  private static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]
  private static let width = 1100.0
  private static let panelHeight = 260.0

  static func svg(_ document: BenchDocument) -> String {
    let backends = document.records.map(\.backend).uniqued()
    let groups = document.records.map { group($0) }.uniqued()
    var body = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(2 * panelHeight + 140))\" "
        + "font-family=\"sans-serif\" font-size=\"11\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      text(x: 20, y: 24, "swiftmalloc bench — \(document.machine.cpuModel), \(document.machine.cores) cores, "
        + BenchTable.medianSummary(document) + "; ratio vs \(document.baseline)", size: 14, weight: "bold"),
      text(x: 20, y: 40, BenchTable.residentSummary(document.resident)),
    ]
    body += panel(
      "ns per op (lower is better)", top: 50, groups: groups, backends: backends, document: document,
      value: \.nanosecondsPerOperation, label: { String(format: "%.1f", $0) })
    body += panel(
      "peak RSS, MiB (lower is better)", top: 90 + panelHeight, groups: groups, backends: backends, document: document,
      value: { Double($0.peakResidentBytes) / 1_048_576 }, label: { String(format: $0 < 10 ? "%.1f" : "%.0f", $0) })
    for (index, backend) in backends.enumerated() {
      let x = 20 + Double(index) * 150
      body.append("<rect x=\"\(x)\" y=\"\(2 * panelHeight + 115)\" width=\"12\" height=\"12\" fill=\"\(color(index))\"/>")
      body.append(text(x: x + 18, y: 2 * panelHeight + 126, backend))
    }
    return (body + ["</svg>"]).joined(separator: "\n") + "\n"
  }

  private static func panel(
    _ title: String, top: Double, groups: [String], backends: [String], document: BenchDocument,
    value: (BenchRecord) -> Double, label: (Double) -> String
  ) -> [String] {
    var shapes = [text(x: 20, y: top + 12, title, size: 12, weight: "bold")]
    let groupWidth = (width - 40) / Double(max(1, groups.count))
    let barWidth = min(28, (groupWidth - 16) / Double(max(1, backends.count)))
    let plotTop = top + 30
    let plotHeight = panelHeight - 60
    for (groupIndex, name) in groups.enumerated() {
      let records = document.records.filter { group($0) == name }
      let largest = records.map(value).max() ?? 1
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
    record.workload == "scale" ? "scale N=\(record.objects)" : record.workload
  }

  private static func color(_ index: Int) -> String { palette[index % palette.count] }

  private static func text(x: Double, y: Double, _ content: String, size: Int = 11, weight: String = "normal")
    -> String
  {
    let escaped = content.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    return "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" font-weight=\"\(weight)\">\(escaped)</text>"
  }
}
