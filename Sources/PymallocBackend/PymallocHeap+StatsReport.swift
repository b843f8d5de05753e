//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore

extension PymallocHeap {
  /// The `sys._debugmallocstats()` report of CPython 3.11, byte for byte in layout.
  ///
  ///     Small block threshold = 512, in 32 size classes.
  ///
  ///     class   size   num pools   blocks in use  avail blocks
  ///     -----   ----   ---------   -------------  ------------
  ///         0     16           1             106           915     one row per class with a non-empty pool
  ///
  ///     # arenas allocated total           =                    4
  ///     …
  ///     Total                              =            4,194,304     always arenas × 1,048,576
  ///
  ///     arena map counts
  ///     …
  ///
  /// Every line ends with a newline, the last one included. The arena map counts are the process's (one map serves
  /// every heap).
  public func statisticsReport() -> String {
    _census().report()
  }
}

extension _HeapCensus {
  /// The `sys._debugmallocstats()` text of these figures.
  internal func report() -> String {
    let census = self
    var lines: [String] = []
    lines.append(
      "Small block threshold = \(_Layout.smallRequestThreshold), in \(_Layout.sizeClassCount) size classes.")
    lines.append("")
    lines.append("class   size   num pools   blocks in use  avail blocks")
    lines.append("-----   ----   ---------   -------------  ------------")
    for sizeIndex in 0..<_Layout.sizeClassCount where census.poolsByClass[sizeIndex] > 0 {
      lines.append(
        _column(sizeIndex, 5) + " " + _column(_SizeClass.blockSize(ofIndex: sizeIndex), 6) + " "
          + _column(census.poolsByClass[sizeIndex], 11) + " " + _column(census.blocksByClass[sizeIndex], 15) + " "
          + _column(census.freeBlocksByClass[sizeIndex], 13))
    }
    lines.append("")
    let line = ReportFormatting.labeledValue
    lines.append(line("# arenas allocated total", census.arenasAllocatedTotal))
    lines.append(line("# arenas reclaimed", census.arenasReclaimed))
    lines.append(line("# arenas highwater mark", census.arenasHighWaterMark))
    lines.append(line("# arenas allocated current", census.arenaCount))
    lines.append(
      line("\(census.arenaCount) arenas * \(_Layout.arenaSize) bytes/arena", census.arenaCount * _Layout.arenaSize))
    lines.append("")
    lines.append(line("# bytes in allocated blocks", census.allocatedBytes))
    lines.append(line("# bytes in available blocks", census.availableBytes))
    lines.append(line("\(census.unusedPools) unused pools * \(_Layout.poolSize) bytes", census.unusedPoolBytes))
    lines.append(line("# bytes lost to pool headers", census.poolHeaderBytes))
    lines.append(line("# bytes lost to quantization", census.quantizationBytes))
    lines.append(line("# bytes lost to arena alignment", census.alignmentLossBytes))
    lines.append(line("Total", census.breakdownTotal))
    lines.append("")
    lines.append("arena map counts")
    lines.append(line("# arena map mid nodes", _ArenaMap.midNodeCount))
    lines.append(line("# arena map bot nodes", _ArenaMap.bottomNodeCount))
    lines.append("")
    // The root is CPython's static array: it counts whether or not an arena has been attached.
    let rootBytes = _ArenaMap.interiorNodeBytes
    let midBytes = _ArenaMap.midNodeCount * _ArenaMap.interiorNodeBytes
    let bottomBytes = _ArenaMap.bottomNodeCount * _ArenaMap.bottomNodeBytes
    lines.append(line("# bytes lost to arena map root", rootBytes))
    lines.append(line("# bytes lost to arena map mid", midBytes))
    lines.append(line("# bytes lost to arena map bot", bottomBytes))
    lines.append(line("Total", rootBytes + midBytes + bottomBytes))
    return lines.joined(separator: "\n") + "\n"
  }

  /// `value` right-aligned in `width` columns, as C's `%<width>u`.
  private func _column(_ value: Int, _ width: Int) -> String {
    ReportFormatting.rightAligned(String(value), width: width)
  }
}
