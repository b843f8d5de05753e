//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import CSystemShim

/// The text of a debug dump: CPython's `_PyObject_DebugDumpAddress` lines for the faults CPython detects, and lines
/// in the same style for the ones it does not.
internal enum _DebugDump {
  /// `%p` as glibc prints it.
  static func address(_ value: UInt) -> String { "0x" + String(value, radix: 16) }

  /// `%02x`.
  static func hexByte(_ byte: UInt8) -> String { (byte < 16 ? "0" : "") + String(byte, radix: 16) }

  /// CPython's dump of a block whose header is readable: size, leading pads, trailing pads, data. A bogus size is
  /// shown as the whole size word, as CPython reads it.
  static func blockLines(_ block: _DebugBlock, sizeIsPlausible: Bool) -> [String] {
    let p = UInt(bitPattern: block.user)
    let forbidden = _DebugBlock.forbiddenByte
    let recordedSize = sizeIsPlausible ? String(block.requestedSize) : String(block.sizeField)
    var lines = [
      "Debug memory block at address p=\(address(p)): API '\(Character(Unicode.Scalar(block.identifier)))'",
      "    \(recordedSize) bytes originally requested",
    ]
    if block.leadingPadsIntact {
      lines.append("    The 7 pad bytes at p-7 are FORBIDDENBYTE, as expected.")
    } else {
      lines.append("    The 7 pad bytes at p-7 are not all FORBIDDENBYTE (0x\(hexByte(forbidden))):")
      for offset in stride(from: 7, through: 1, by: -1) {
        let byte = block.byte(at: -offset)
        lines.append("        at p-\(offset): 0x\(hexByte(byte))" + (byte == forbidden ? "" : " *** OUCH"))
      }
      lines.append("    Because memory is corrupted at the start, the count of bytes requested")
      lines.append("       may be bogus, and checking the trailing pad bytes may segfault.")
    }
    guard sizeIsPlausible else {
      lines.append("    The size in the header is bogus: the trailing pad bytes and the data are not read.")
      return lines
    }
    let size = block.requestedSize
    let tail = address(p + UInt(size))
    if block.trailingPadsIntact {
      lines.append("    The 8 pad bytes at tail=\(tail) are FORBIDDENBYTE, as expected.")
    } else {
      lines.append("    The 8 pad bytes at tail=\(tail) are not all FORBIDDENBYTE (0x\(hexByte(forbidden))):")
      for offset in 0..<8 {
        let byte = block.byte(at: size + offset)
        lines.append("        at tail+\(offset): 0x\(hexByte(byte))" + (byte == forbidden ? "" : " *** OUCH"))
      }
    }
    if size > 0 { lines.append("    Data at p:" + dataBytes(block.user, count: size)) }
    return lines
  }

  /// ` %02x` per byte: all of them up to 16, else the first 8, ` ...`, the last 8.
  static func dataBytes(_ pointer: UnsafeRawPointer, count: Int) -> String {
    func bytes(_ range: Range<Int>) -> String {
      range.map { " " + hexByte(pointer.load(fromByteOffset: $0, as: UInt8.self)) }.joined()
    }
    return count <= 16 ? bytes(0..<count) : bytes(0..<8) + " ..." + bytes(count - 8..<count)
  }

  /// The dump of a pointer whose header is not a live block's.
  static func addressLines(_ fault: DebugFault, pointer: UnsafeMutableRawPointer) -> [String] {
    let p = address(UInt(bitPattern: pointer))
    let headerReadable = sm_is_readable(pointer - _DebugBlock.headerSize, _DebugBlock.overhead) != 0
    var lines: [String]
    switch fault {
    case .doubleFree, .reallocateFreed:
      lines = [
        "Debug memory block at address p=\(p): already freed",
        "    The header and the first data bytes are DEADBYTE (0xdd): this block was freed before.",
      ]
    case .interiorPointer:
      lines = [
        "Debug memory block at address p=\(p): interior pointer",
        "    p is not the start of a block: it lies inside memory the heap manages.",
      ]
    case .blockOfAnotherHeap(let owner, let heap):
      lines = [
        "Debug memory block at address p=\(p): block of another heap",
        "    p lies in an arena of \(owner); it was handed to \(heap), which leaves it alone.",
      ]
    default:
      lines = [
        "Debug memory block at address p=\(p): not allocated by this heap",
        headerReadable
          ? "    The 16 bytes before p hold no debug header (no API id, no FORBIDDENBYTE pads)."
          : "    The memory before p is not readable (unmapped or protected).",
      ]
    }
    if headerReadable, Int(bitPattern: pointer) % AllocationLimits.minimumAlignment == 0 {
      lines.append("    Bytes at p-16:" + dataBytes(pointer - _DebugBlock.headerSize, count: _DebugBlock.headerSize))
      lines.append("    Data at p:" + dataBytes(pointer, count: 8))
    }
    return lines
  }

  /// The dump of a freed block that was written to.
  static func writeAfterFreeLines(user: UnsafeMutableRawPointer, modifiedOffsets: [Int], usable: Int) -> [String] {
    let shown = modifiedOffsets.prefix(8)
    var lines = [
      "Debug memory block at address p=\(address(UInt(bitPattern: user))): freed memory was modified",
      "    The block was freed and filled with DEADBYTE (0xdd); \(modifiedOffsets.count) bytes changed since:",
    ]
    for offset in shown {
      let relative = offset - _DebugBlock.headerSize
      let byte = user.load(fromByteOffset: relative, as: UInt8.self)
      lines.append("        at p\(relative < 0 ? "" : "+")\(relative): 0x\(hexByte(byte)) *** OUCH")
    }
    if modifiedOffsets.count > shown.count { lines.append("        … \(modifiedOffsets.count - shown.count) more") }
    lines.append("    Data at p:" + dataBytes(user, count: min(16, usable - _DebugBlock.headerSize)))
    return lines
  }

  /// CPython's hint, verbatim; `SWIFTMALLOCTRACE=N` is swift-malloc's tracemalloc (see ``tracingHowTo``).
  static let tracingHint = "Enable tracemalloc to get the memory block allocation traceback"

  /// Printed after the fatal line when tracing is off: how to get the traceback here.
  static let tracingHowTo = "(tracemalloc here: run with SWIFTMALLOCTRACE=N to record N frames per block)"

  /// The traceback section: the recorded frames, or CPython's hint.
  static func tracebackLines(depth: Int, frames: [UInt]?) -> (lines: [String], symbols: [String]) {
    guard depth > 0 else { return ([tracingHint, ""], []) }
    guard let frames else { return (["The block's allocation traceback was not recorded.", ""], []) }
    let symbols = frames.map(symbolize)
    let lines = zip(frames, symbols).map { "  at \(address($0)) in \($1)" }
    return (["Memory block allocated at (most recent call first):"] + lines + [""], symbols)
  }

  /// `symbol+0xoffset` for a code address, or `?` when it has no symbol.
  static func symbolize(_ frame: UInt) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    guard sm_symbolize(UnsafeRawPointer(bitPattern: frame), &buffer, buffer.count) != 0 else { return "?" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
