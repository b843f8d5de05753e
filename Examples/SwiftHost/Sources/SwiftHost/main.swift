// Builds and tears down a tree of small nodes through the object family of the backend chosen by `--backend NAME`,
// else SWIFTMALLOC, else the default; then prints the backend's statistics report.
import AllocatorCore
import Foundation
import SwiftMallocRegistry

/// A tree node in raw memory: two child pointers and a payload.
struct Node {
  var left: UnsafeMutablePointer<Node>?
  var right: UnsafeMutablePointer<Node>?
  var value: Int
}

/// Builds a tree of 2^(depth+1) − 1 nodes, sums it, frees it, and reports.
struct TreeWork: AllocatorSetBody {
  let depth: Int

  func run<Set: AllocatorSet>(_ set: Set) -> String {
    func build(_ depth: Int, _ next: inout Int) -> UnsafeMutablePointer<Node> {
      let node = set.object.allocate(byteCount: MemoryLayout<Node>.size)!.bindMemory(to: Node.self, capacity: 1)
      next += 1
      node.initialize(to: Node(left: nil, right: nil, value: next))
      if depth > 0 {
        node.pointee.left = build(depth - 1, &next)
        node.pointee.right = build(depth - 1, &next)
      }
      return node
    }
    func tearDown(_ node: UnsafeMutablePointer<Node>?) -> Int {
      guard let node else { return 0 }
      let sum = node.pointee.value + tearDown(node.pointee.left) + tearDown(node.pointee.right)
      set.object.deallocate(node)
      return sum
    }
    var count = 0
    let root = build(depth, &count)
    let report = set.object.statisticsReport()
    let sum = tearDown(root)
    precondition(sum == count * (count + 1) / 2, "every node was intact")
    return "\(set.configuration.name): built and freed \(count) nodes\n" + report
  }
}

let arguments = CommandLine.arguments
let flag = arguments.firstIndex(of: "--backend").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
do {
  let selection = try Registry.select(flag: flag, environment: ProcessInfo.processInfo.environment)
  print(selection.configuration.withNewAllocatorSet(TreeWork(depth: 15)), terminator: "")
} catch {
  FileHandle.standardError.write(Data("SwiftHost: \(error)\n".utf8))
  exit(2)
}
