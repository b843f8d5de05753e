// A Swift program linked with libswiftmalloc-preload.so (see README.md here): the library is then the program's
// malloc, so the Swift runtime's own objects (class instances, array and string buffers) come from pymalloc, as
// SWIFTMALLOCSTATS=1 shows at exit.

/// 32 bytes with the object header: pymalloc's size class 1.
final class Node {
  var value: Int
  var next: Node?

  init(value: Int, next: Node?) {
    self.value = value
    self.next = next
  }
}

/// Kept alive until exit, so that the report counts the objects.
var list: Node? = nil
for value in 0..<10_000 { list = Node(value: value, next: list) }
var words = (0..<1_000).map { "word number \($0)" }
var total = 0
var node = list
while let current = node {
  total += current.value
  node = current.next
}
print("SwiftLinked: \(total) from 10000 nodes, \(words.count) strings")
