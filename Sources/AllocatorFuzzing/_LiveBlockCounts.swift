//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The live-block count of each family, where its allocator counts them.
struct _LiveBlockCounts: Equatable, CustomStringConvertible {
  var raw: Int?
  var mem: Int?
  var object: Int?

  init<Set: AllocatorSet>(_ set: Set) {
    raw = set.raw.statistics().liveBlocks
    mem = set.mem.statistics().liveBlocks
    object = set.object.statistics().liveBlocks
  }

  var description: String {
    func text(_ count: Int?) -> String { count.map(String.init) ?? "-" }
    return "r=\(text(raw)) m=\(text(mem)) o=\(text(object))"
  }
}
