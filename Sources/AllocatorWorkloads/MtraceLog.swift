//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import Foundation

/// A glibc `mtrace` log parsed once into compact operations on numbered slots, so that replay never touches
/// addresses or text.
///
/// Lines (the caller field between `@` and the operator is ignored):
///
///     = Start
///     @ CALLER + 0xADDR 0xSIZE      malloc/calloc/memalign returned ADDR for SIZE bytes
///     @ CALLER - 0xADDR             free(ADDR)
///     @ CALLER < 0xOLD              realloc: the old address
///     @ CALLER > 0xNEW 0xSIZE       realloc: the new address and size
///     = End
///
/// Frees of addresses never seen allocated (made before tracing started) and lines that match none of these forms
/// are counted, not fatal.
public struct MtraceLog: Sendable {
  /// One replayable call.
  public struct Operation: Sendable, Equatable {
    /// What the call does.
    public enum Kind: UInt8, Sendable {
      /// Allocate `size` bytes into `slot`.
      case allocate
      /// Free the block in `slot`.
      case free
      /// Resize the block in `slot` to `size` bytes.
      case reallocate
    }

    public var kind: Kind
    public var slot: Int32
    public var size: Int
  }

  /// The operations, in log order.
  public private(set) var operations: [Operation] = []
  /// Slots used (the most blocks that can be live at once).
  public private(set) var slotCount = 0
  /// Lines read.
  public private(set) var lineCount = 0
  /// Lines that were neither a marker nor an operation.
  public private(set) var unparsableLines = 0
  /// Frees (and reallocations) of addresses the log never allocated.
  public private(set) var unknownAddresses = 0

  private var slotsByAddress: [UInt64: Int32] = [:]
  private var freeSlots: [Int32] = []
  private var pendingReallocation: UInt64?

  /// Parses the text of a log.
  public init(text: String) {
    var text = text
    text.withUTF8 { parse($0) }
  }

  /// Reads a log file; `.gz` files are decompressed with `gzip -dc`.
  public init(contentsOf path: String) throws {
    let data = try MtraceLog.readBytes(path)
    data.withUnsafeBytes { parse($0.bindMemory(to: UInt8.self)) }
  }

  private static func readBytes(_ path: String) throws -> Data {
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw MtraceLogError(message: "cannot read trace file '\(path)'")
    }
    guard path.hasSuffix(".gz") else { return try Data(contentsOf: URL(fileURLWithPath: path)) }
    let gzip = Process()
    gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    gzip.arguments = ["gzip", "-dc", path]
    let output = Pipe()
    gzip.standardOutput = output
    try gzip.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    gzip.waitUntilExit()
    guard gzip.terminationStatus == 0 else {
      throw MtraceLogError(message: "gzip -dc '\(path)' failed with status \(gzip.terminationStatus)")
    }
    return data
  }

  /// Parses every non-empty line of `bytes`, the log's text (`\n` or `\r\n` line ends); bytes that are not ASCII
  /// just fail to match.
  private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) {
    var lineStart = 0
    while lineStart < bytes.count {
      let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      var line = bytes[lineStart..<lineEnd]
      if line.last == UInt8(ascii: "\r") { line.removeLast() }
      if !line.isEmpty {
        lineCount += 1
        parse(line: line)
      }
      lineStart = lineEnd + 1
    }
  }

  /// One line: its first field and its last three decide (the caller field in between may hold spaces).
  private mutating func parse(line: Slice<UnsafeBufferPointer<UInt8>>) {
    let fields = _LineFields(line)
    if Self.symbol(fields.first) == UInt8(ascii: "=") { return }
    guard Self.symbol(fields.first) == UInt8(ascii: "@"), fields.count >= 4 else { return unparsable() }
    switch (Self.symbol(fields.thirdLast), Self.symbol(fields.secondLast)) {
    case (UInt8(ascii: "+"), _):
      guard let address = Self.hex(fields.secondLast), let size = Self.hex(fields.last) else { return unparsable() }
      allocate(address: address, size: Int(size))
    case (UInt8(ascii: ">"), _):
      guard let address = Self.hex(fields.secondLast), let size = Self.hex(fields.last) else { return unparsable() }
      completeReallocation(newAddress: address, size: Int(size))
    case (_, UInt8(ascii: "-")):
      guard let address = Self.hex(fields.last) else { return unparsable() }
      free(address: address)
    case (_, UInt8(ascii: "<")):
      guard let address = Self.hex(fields.last) else { return unparsable() }
      pendingReallocation = address
    default:
      unparsable()
    }
  }

  /// The byte of a one-byte field; `nil` for any other.
  private static func symbol(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> UInt8? {
    field.count == 1 ? field.first : nil
  }

  private mutating func unparsable() { unparsableLines += 1 }

  private mutating func allocate(address: UInt64, size: Int) {
    guard address != 0 else { return }  // a failed allocation
    let slot = takeSlot()
    slotsByAddress[address] = slot
    operations.append(Operation(kind: .allocate, slot: slot, size: size))
  }

  private mutating func free(address: UInt64) {
    guard let slot = slotsByAddress.removeValue(forKey: address) else {
      unknownAddresses += address == 0 ? 0 : 1
      return
    }
    freeSlots.append(slot)
    operations.append(Operation(kind: .free, slot: slot, size: 0))
  }

  private mutating func completeReallocation(newAddress: UInt64, size: Int) {
    defer { pendingReallocation = nil }
    guard let old = pendingReallocation, old != 0, let slot = slotsByAddress.removeValue(forKey: old) else {
      if let old = pendingReallocation, old != 0 { unknownAddresses += 1 }
      return allocate(address: newAddress, size: size)
    }
    slotsByAddress[newAddress] = slot
    operations.append(Operation(kind: .reallocate, slot: slot, size: size))
  }

  private mutating func takeSlot() -> Int32 {
    if let slot = freeSlots.popLast() { return slot }
    slotCount += 1
    return Int32(slotCount - 1)
  }

  /// A number as glibc's `%#lx` / `%p` print it: `0x…`, but a bare `0` for zero and `(nil)` for a null pointer.
  private static func hex(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64? {
    if field.elementsEqual("0".utf8) || field.elementsEqual("(nil)".utf8) { return 0 }
    guard field.starts(with: "0x".utf8), field.count > 2, field.count <= 18 else { return nil }
    var value: UInt64 = 0
    for byte in field.dropFirst(2) {
      guard let digit = hexDigit(byte) else { return nil }
      value = value << 4 | digit
    }
    return value
  }

  /// The value of one hexadecimal digit, either case.
  private static func hexDigit(_ byte: UInt8) -> UInt64? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}

/// The space-separated fields of a line that the parser needs: the first, the last three, and how many there are.
private struct _LineFields {
  var first: Slice<UnsafeBufferPointer<UInt8>>
  var thirdLast: Slice<UnsafeBufferPointer<UInt8>>
  var secondLast: Slice<UnsafeBufferPointer<UInt8>>
  var last: Slice<UnsafeBufferPointer<UInt8>>
  var count = 0

  init(_ line: Slice<UnsafeBufferPointer<UInt8>>) {
    let empty = line[line.startIndex..<line.startIndex]
    (first, thirdLast, secondLast, last) = (empty, empty, empty, empty)
    var index = line.startIndex
    while index < line.endIndex {
      guard line[index] != UInt8(ascii: " ") else {
        index += 1
        continue
      }
      let end = line[index...].firstIndex(of: UInt8(ascii: " ")) ?? line.endIndex
      let field = line[index..<end]
      if count == 0 { first = field }
      (thirdLast, secondLast, last) = (secondLast, last, field)
      count += 1
      index = end
    }
  }
}

/// A trace that cannot be read.
public struct MtraceLogError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
