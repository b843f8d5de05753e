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
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
      lineCount += 1
      parse(line)
    }
  }

  /// Reads a log file; `.gz` files are decompressed with `gzip -dc`.
  public init(contentsOf path: String) throws {
    self.init(text: try MtraceLog.readText(path))
  }

  private static func readText(_ path: String) throws -> String {
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw MtraceLogError(message: "cannot read trace file '\(path)'")
    }
    guard path.hasSuffix(".gz") else { return try String(contentsOfFile: path, encoding: .utf8) }
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
    return String(decoding: data, as: UTF8.self)
  }

  private mutating func parse(_ line: Substring) {
    let fields = line.split(separator: " ")
    if fields.first == "=" { return }
    guard fields.first == "@", fields.count >= 4 else { return unparsable() }
    let last = fields.count - 1
    switch (fields[last - 2], fields[last - 1]) {
    case ("+", _):
      guard let address = Self.hex(fields[last - 1]), let size = Self.hex(fields[last]) else { return unparsable() }
      allocate(address: address, size: Int(size))
    case (">", _):
      guard let address = Self.hex(fields[last - 1]), let size = Self.hex(fields[last]) else { return unparsable() }
      completeReallocation(newAddress: address, size: Int(size))
    case (_, "-"):
      guard let address = Self.hex(fields[last]) else { return unparsable() }
      free(address: address)
    case (_, "<"):
      guard let address = Self.hex(fields[last]) else { return unparsable() }
      pendingReallocation = address
    default:
      unparsable()
    }
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
  private static func hex(_ field: Substring) -> UInt64? {
    if field == "0" || field == "(nil)" { return 0 }
    guard field.hasPrefix("0x") else { return nil }
    return UInt64(field.dropFirst(2), radix: 16)
  }
}

/// A trace that cannot be read.
public struct MtraceLogError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
