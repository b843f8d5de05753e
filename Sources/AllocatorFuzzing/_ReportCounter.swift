//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The corruptions a campaign's heaps reported; the handler that counts them runs inside the heap's allocate or
/// free, on the campaign's thread.
final class _ReportCounter: @unchecked Sendable {
  var count = 0
}
