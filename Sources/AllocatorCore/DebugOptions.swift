//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// How the debug hooks behave: how much of the allocating stack they record, and what they do on a fault.
public struct DebugOptions {
  /// Frames of the allocating call stack recorded per block (tracemalloc's counterpart); 0 records none.
  public var tracebackDepth: Int
  /// What happens when a fault is detected.
  public var policy: DebugReportPolicy

  /// Options with tracing off and CPython's policy (print the dump, abort).
  public init(tracebackDepth: Int = 0, policy: DebugReportPolicy = .abort) {
    self.tracebackDepth = max(0, min(tracebackDepth, DebugOptions.maximumTracebackDepth))
    self.policy = policy
  }

  /// The deepest traceback recorded per block.
  public static let maximumTracebackDepth = 64

  /// Options from the environment: `SWIFTMALLOCTRACE=N` records N frames per block.
  public static func fromEnvironment(_ environment: [String: String]) -> DebugOptions {
    DebugOptions(tracebackDepth: environment["SWIFTMALLOCTRACE"].flatMap { Int($0) } ?? 0)
  }
}

/// What the debug hooks do when they detect a fault.
public enum DebugReportPolicy {
  /// Print the dump and a fatal line to stderr, then `abort()`, as CPython does.
  case abort
  /// Hand the report to the host. When the handler returns, the faulty block is leaked rather than freed, the
  /// call returns (`nil` where it returns a pointer) and every other block stays intact.
  case handler((DebugReport) -> Void)
}
