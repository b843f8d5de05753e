//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

/// The raw allocator of a thread heap seen from a thread-exit destructor, which cannot name the heap's real `Raw`:
/// abandoning a heap frees pool blocks and arenas only, so it never reaches it.
internal struct _NoRawAllocator: Allocator {
  var name: String { "none" }
  var isThreadSafe: Bool { true }

  func allocate(byteCount: Int) -> UnsafeMutableRawPointer? { _unreachable() }
  func allocateZeroed(count: Int, stride: Int) -> UnsafeMutableRawPointer? { _unreachable() }
  func reallocate(_ pointer: UnsafeMutableRawPointer?, byteCount: Int) -> UnsafeMutableRawPointer? { _unreachable() }
  func deallocate(_ pointer: UnsafeMutableRawPointer?) { _unreachable() }
  func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? { _unreachable() }
  func usableSize(of pointer: UnsafeMutableRawPointer) -> Int { _unreachable() }
  func statistics() -> AllocatorStatistics { _unreachable() }

  private func _unreachable() -> Never {
    preconditionFailure("abandoning a thread heap reached its raw allocator")
  }
}
