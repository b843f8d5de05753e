//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  #error("SwiftMallocPreload reads the environment and writes standard error with POSIX calls")
#endif

/// The process allocator's only talk with the system besides memory: environment variables and standard error,
/// through C strings and static strings, so that nothing here allocates (a Swift `String` would, from inside
/// `malloc`).
internal enum _Environment {
  /// The value of `name`, or `nil` when it is unset or empty.
  internal static func value(of name: StaticString) -> UnsafePointer<CChar>? {
    guard let value = getenv(_cString(name)), value.pointee != 0 else { return nil }
    return UnsafePointer(value)
  }

  /// Whether the C string `text` is `literal`.
  internal static func equals(_ text: UnsafePointer<CChar>, _ literal: StaticString) -> Bool {
    strcmp(text, _cString(literal)) == 0
  }

  /// Writes `text` to standard error, unbuffered (one piece at a time: a variadic list would be an array).
  internal static func writeStandardError(_ text: StaticString) {
    _write(2, UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount)
  }

  /// Writes the C string `text` to standard error.
  internal static func writeStandardError(cString text: UnsafePointer<CChar>) {
    _write(2, UnsafeRawPointer(text), strlen(text))
  }

  /// Writes `count` bytes at `bytes` to `descriptor`, again after a partial write or an interruption.
  internal static func _write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) {
    var done = 0
    while done < count {
      let written = write(descriptor, bytes + done, count - done)
      if written > 0 { done += written } else if written < 0 && errno == EINTR { continue } else { return }
    }
  }

  /// The bytes of `literal` as a C string (a static string is stored with its terminating zero).
  private static func _cString(_ literal: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)
  }
}

extension _Environment {
  /// Writes `report` to the file `SWIFTMALLOCSTATS_FILE` names (created or truncated), else to standard error.
  /// Called at exit, when allocations are glibc's again.
  internal static func writeReport(_ report: String) {
    var descriptor: Int32 = 2
    if let path = value(of: "SWIFTMALLOCSTATS_FILE") {
      descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        writeStandardError("swiftmalloc: cannot open SWIFTMALLOCSTATS_FILE=")
        writeStandardError(cString: path)
        writeStandardError("; the report goes to standard error\n")
        return writeReport(report, to: 2)
      }
    }
    writeReport(report, to: descriptor)
    if descriptor != 2 { close(descriptor) }
  }

  private static func writeReport(_ report: String, to descriptor: Int32) {
    var text = report
    text.withUTF8 { _write(descriptor, UnsafeRawPointer($0.baseAddress!), $0.count) }
  }
}
