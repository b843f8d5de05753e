//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation

/// `sm_print_stats`: the backend's report on `fd`.
@_cdecl("sm_print_stats")
public func sm_print_stats(_ fd: Int32) {
  FileDescriptorOutput(descriptor: fd).write(ProcessHeap.withHeap { $0.statisticsReport() })
}

/// `sm_allocated_blocks`: the object family's live blocks, 0 where the backend does not count them.
@_cdecl("sm_allocated_blocks")
public func sm_allocated_blocks() -> Int {
  ProcessHeap.withHeap { $0.objectStatistics().liveBlocks ?? 0 }
}

/// `sm_stats_json`: the object family's statistics as JSON, with `snprintf`'s contract.
@_cdecl("sm_stats_json")
public func sm_stats_json(_ buffer: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int32 {
  let statistics = ProcessHeap.withHeap { $0.objectStatistics() }
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  guard let json = try? encoder.encode(statistics), length >= 0 else { return -1 }
  if let buffer, length > 0 {
    let copied = min(json.count, length - 1)
    for (index, byte) in json.prefix(copied).enumerated() { buffer[index] = CChar(bitPattern: byte) }
    buffer[copied] = 0
  }
  return Int32(clamping: json.count)
}
