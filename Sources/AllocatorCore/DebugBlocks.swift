//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// What a debug block's header says, without a debug allocator: for a caller that must not enter one (the process
/// allocator, called again from inside one of its own calls). Non-generic, so that calling it needs no metadata.
package enum DebugBlocks {
  /// The requested size the header of the debug block at `pointer` records.
  package static func requestedSize(of pointer: UnsafeMutableRawPointer) -> Int {
    _DebugBlock(user: pointer).requestedSize
  }
}
