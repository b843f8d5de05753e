//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSystemShim

#if canImport(Glibc)
  import Glibc
#endif

extension DebugAllocator {
  /// Reports a fault at `pointer` (or a call-level fault when `nil`): prints the dump and aborts, or hands the
  /// report to the host's handler and returns.
  @inline(never)
  internal func _report(_ fault: DebugFault, at pointer: UnsafeMutableRawPointer?, function: String) {
    var lines: [String] = []
    var requestedSize: Int?
    var frames: [UInt]?
    if let pointer {
      switch fault {
      case .badIdentifier, .badLeadingPad, .badTrailingPad:
        let block = _DebugBlock(user: pointer)
        let ownership = base.ownership(of: pointer - _DebugBlock.headerSize)
        lines = _DebugDump.blockLines(block, sizeIsPlausible: _sizeIsPlausible(block, ownership: ownership))
        requestedSize = block.requestedSize
      default:
        lines = _DebugDump.addressLines(fault, pointer: pointer)
      }
      lines.append("")
      frames = context._traceback(for: UInt(bitPattern: pointer))
    }
    _deliver(fault, function: function, pointer: pointer, requestedSize: requestedSize, lines: lines, frames: frames)
  }

  /// Reports a write into a freed block found as it leaves the quarantine.
  @inline(never)
  internal func _reportWriteAfterFree(_ entry: _DebugQuarantine.Entry, modifiedOffsets: [Int]) {
    let user = entry.memory + _DebugBlock.headerSize
    var lines = _DebugDump.writeAfterFreeLines(user: user, modifiedOffsets: modifiedOffsets, usable: entry.usable)
    lines.append("")
    _deliver(
      .writeAfterFree, function: "_PyMem_DebugRawFree", pointer: user, requestedSize: nil, lines: lines,
      frames: nil)
  }

  /// Finishes the report with the traceback section and applies the policy.
  private func _deliver(
    _ fault: DebugFault, function: String, pointer: UnsafeMutableRawPointer?, requestedSize: Int?, lines: [String],
    frames: [UInt]?
  ) {
    var lines = lines
    var symbols: [String] = []
    if pointer != nil {
      let traceback = _DebugDump.tracebackLines(depth: context.options.tracebackDepth, frames: frames)
      lines += traceback.lines
      symbols = traceback.symbols
    }
    let report = DebugReport(
      fault: fault, function: function, family: family, pointer: UInt(bitPattern: pointer), requestedSize: requestedSize,
      dump: lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"), traceback: symbols)
    switch context.options.policy {
    case .handler(let handler):
      handler(report)
    case .abort:
      _DebugFatal.abort(with: report)
    }
  }
}

/// The abort path: the dump and fatal line on stderr, the current stack, then `abort()`, as CPython's fatal error.
internal enum _DebugFatal {
  static func abort(with report: DebugReport) -> Never {
    let thread = _DebugDump.address(UInt(sm_current_thread()))
    let howTo = report.dump.contains(_DebugDump.tracingHint) ? _DebugDump.tracingHowTo + "\n" : ""
    FileDescriptorOutput.standardError.write(
      report.dump + report.fatalLine + "\n" + howTo + "\nCurrent thread \(thread) (most recent call first):\n")
    var frames = [UnsafeMutableRawPointer?](repeating: nil, count: 32)
    let count = frames.withUnsafeMutableBufferPointer { sm_backtrace($0.baseAddress, Int32($0.count)) }
    frames.withUnsafeBufferPointer { sm_backtrace_symbols_fd($0.baseAddress, count, 2) }
    Glibc.abort()
  }
}
