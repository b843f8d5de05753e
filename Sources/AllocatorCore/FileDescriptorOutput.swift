//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#endif

/// Unbuffered, complete writes to a file descriptor, as CPython writes its reports to C `stderr`: reports and dumps
/// interleave correctly with everything else, and nothing is allocated from the heap being reported on.
public struct FileDescriptorOutput: Sendable {
  /// Standard output.
  public static let standardOutput = FileDescriptorOutput(descriptor: 1)
  /// Standard error.
  public static let standardError = FileDescriptorOutput(descriptor: 2)

  /// The file descriptor written to.
  public let descriptor: Int32

  /// An output on `descriptor`.
  public init(descriptor: Int32) { self.descriptor = descriptor }

  /// Writes all of `text`, retrying on short writes and `EINTR`; stops silently on any other error.
  public func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var remaining = UnsafeRawBufferPointer(bytes)
      while !remaining.isEmpty {
        let written = Glibc.write(descriptor, remaining.baseAddress, remaining.count)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
      }
    }
  }
}
