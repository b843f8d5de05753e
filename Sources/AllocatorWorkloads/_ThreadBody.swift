//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The closure a new thread runs, boxed to travel through `pthread_create`'s context pointer.
@usableFromInline
internal final class _ThreadBody {
  @usableFromInline
  internal let run: () -> Void

  @usableFromInline
  internal init(_ run: @escaping () -> Void) { self.run = run }
}
