//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// A fault the debug hooks detected, as a host handler receives it.
public struct DebugReport: Sendable {
  /// What went wrong.
  public var fault: DebugFault
  /// The function CPython reports it from (`_PyMem_DebugRawFree`, `_PyMem_DebugRawRealloc`, …).
  public var function: String
  /// The family whose call detected it.
  public var family: Family
  /// The user pointer the call received (or returned, for a write after free).
  public var pointer: UInt
  /// The requested size read from the block's header, when the header could be read.
  public var requestedSize: Int?
  /// The dump, exactly as printed under the abort policy (without the fatal line).
  public var dump: String
  /// The recorded allocation traceback of the block (symbolized frames), empty when tracing is off.
  public var traceback: [String]

  /// The one-line fatal error: `Fatal swift-malloc error: <function>: <message>`.
  public var fatalLine: String { "Fatal swift-malloc error: \(function): \(fault.message)" }
}
