//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One allocator per family, as a configured backend name decides (CPython's three installed allocators).
///
/// Code that is generic over `some AllocatorSet` is specialized for the concrete set, so every call goes straight
/// into the chosen backend's fast path.
public protocol AllocatorSet {
  /// The allocator of the raw family (`PyMem_Raw*`).
  associatedtype Raw: Allocator
  /// The allocator of the mem family (`PyMem_*`).
  associatedtype Mem: Allocator
  /// The allocator of the object family (`PyObject_*`).
  associatedtype Object: Allocator

  /// The configuration this set was built from.
  var configuration: BackendConfiguration { get }
  /// The raw family's allocator.
  var raw: Raw { get }
  /// The mem family's allocator.
  var mem: Mem { get }
  /// The object family's allocator.
  var object: Object { get }

  /// The debug hooks' shared state when the set runs under them (`_debug` names), else `nil`. A host that guards
  /// the set with a lock hands the heap to each thread that takes it with ``DebugContext/setHolderToCurrentThread()``.
  var debugContext: DebugContext? { get }

  /// Releases every heap the set owns (pymalloc returns its arenas to the OS). The set and every block it
  /// handed out are invalid afterwards.
  func destroy()
}

/// A concrete set of three allocators.
@frozen
public struct FamilySet<Raw: Allocator, Mem: Allocator, Object: Allocator>: AllocatorSet {
  /// The configuration this set was built from.
  public let configuration: BackendConfiguration
  /// The raw family's allocator.
  public let raw: Raw
  /// The mem family's allocator.
  public let mem: Mem
  /// The object family's allocator.
  public let object: Object

  /// The debug hooks' shared state, when the set runs under them.
  public let debugContext: DebugContext?
  @usableFromInline
  internal let _release: () -> Void

  /// Creates a set from its three allocators.
  ///
  /// - Parameters:
  ///   - configuration: The configuration the set was built from.
  ///   - raw: The raw family's allocator.
  ///   - mem: The mem family's allocator.
  ///   - object: The object family's allocator.
  ///   - debugContext: The debug hooks' shared state when the allocators are ``DebugAllocator``s.
  ///   - release: Releases the heaps behind the allocators; called once by ``destroy()``.
  @inlinable
  public init(
    configuration: BackendConfiguration, raw: Raw, mem: Mem, object: Object, debugContext: DebugContext? = nil,
    release: @escaping () -> Void
  ) {
    self.configuration = configuration
    self.raw = raw
    self.mem = mem
    self.object = object
    self.debugContext = debugContext
    self._release = release
  }

  /// Releases the heaps behind the allocators.
  public func destroy() { _release() }
}
