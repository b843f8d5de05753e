//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One statistics shape for every backend, `Codable` so the CLI and the C ABI can print it as JSON.
///
/// Fields a backend cannot know are `nil`; backend-specific counters go in ``extras`` under the backend's own
/// names (jemalloc: `stats.allocated`, …; glibc: `mallinfo2.uordblks`, …; pymalloc: its report's counters).
public struct AllocatorStatistics: Codable, Sendable, Equatable {
  /// The backend name, as in ``Allocator/name``.
  public var backend: String
  /// Blocks currently allocated, where the backend counts them (pymalloc, debug layers).
  public var liveBlocks: Int?
  /// Bytes in allocated blocks as the backend measures them (block sizes, not requested sizes).
  public var allocatedBytes: Int
  /// Bytes requested for the live blocks, where known (debug layers record every request).
  public var liveRequestedBytes: Int?
  /// Bytes the backend holds from the operating system.
  public var mappedBytes: Int
  /// Bytes of ``mappedBytes`` that are resident, where the backend can tell.
  public var residentBytes: Int?
  /// Backend-specific counters, by the backend's own names.
  public var extras: [String: Int]

  /// Creates a statistics snapshot.
  public init(
    backend: String, liveBlocks: Int?, allocatedBytes: Int, liveRequestedBytes: Int?, mappedBytes: Int,
    residentBytes: Int?, extras: [String: Int] = [:]
  ) {
    self.backend = backend
    self.liveBlocks = liveBlocks
    self.allocatedBytes = allocatedBytes
    self.liveRequestedBytes = liveRequestedBytes
    self.mappedBytes = mappedBytes
    self.residentBytes = residentBytes
    self.extras = extras
  }
}
