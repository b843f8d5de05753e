//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// Work that several threads run on one allocator at once, specialized for the allocator's concrete type.
///
/// ``Allocator/withThreadSharing(handingHeapTo:_:)`` hands it the allocator the threads may call: the allocator
/// itself when it is thread-safe, otherwise the allocator behind a ``LockedAllocator``.
public protocol SharedAllocatorBody {
  /// What the work returns.
  associatedtype Output

  /// Runs the work.
  ///
  /// - Parameters:
  ///   - allocator: An allocator any thread may call at any time.
  ///   - isLocked: Whether `allocator` is a ``LockedAllocator`` around one that is not thread-safe.
  func run<A: Allocator>(_ allocator: A, isLocked: Bool) -> Output
}

extension Allocator {
  /// Runs `body` on this allocator as threads share it: directly when ``isThreadSafe``, otherwise behind a
  /// ``LockedAllocator`` made for the call and destroyed after it.
  ///
  /// - Parameters:
  ///   - context: The debug hooks' state of this allocator's set, if any: the lock hands the heap to each caller.
  ///   - body: The work; its threads must all have ended when it returns.
  @inlinable
  public func withThreadSharing<Body: SharedAllocatorBody>(
    handingHeapTo context: DebugContext? = nil, _ body: Body
  ) -> Body.Output {
    guard !isThreadSafe else { return body.run(self, isLocked: false) }
    let locked = LockedAllocator(self, handingHeapTo: context)
    defer { locked.destroy() }
    return body.run(locked, isLocked: true)
  }
}
