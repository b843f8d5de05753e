//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#endif

/// Unbuffered writes to a file descriptor, so output interleaves correctly with reports written by the allocators.
struct FileDescriptorOutput {
  /// Standard output.
  static let standardOutput = FileDescriptorOutput(descriptor: 1)
  /// Standard error.
  static let standardError = FileDescriptorOutput(descriptor: 2)

  let descriptor: Int32

  /// Writes all of `text`, retrying on short writes.
  func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written <= 0 { return }
        offset += written
      }
    }
  }
}
