//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

extension Sequence where Element: Hashable {
  /// The elements in order, each once.
  func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}

extension Sequence {
  /// The elements grouped by `key`: each group in order, the groups in the order of their first elements.
  func groupedInOrder<Key: Hashable>(by key: (Element) -> Key) -> [[Element]] {
    var groups: [[Element]] = []
    var groupIndex: [Key: Int] = [:]
    for element in self {
      let elementKey = key(element)
      if let index = groupIndex[elementKey] {
        groups[index].append(element)
      } else {
        groupIndex[elementKey] = groups.count
        groups.append([element])
      }
    }
    return groups
  }
}

extension Collection {
  /// The element in the middle once sorted by `value` (the upper middle for an even count).
  ///
  /// - Precondition: the collection is not empty.
  func median<Value: Comparable>(by value: (Element) -> Value) -> Element {
    sorted { value($0) < value($1) }[count / 2]
  }
}

extension Collection where Element: Comparable {
  /// The element in the middle once sorted (the upper middle for an even count).
  ///
  /// - Precondition: the collection is not empty.
  var median: Element { median { $0 } }
}
