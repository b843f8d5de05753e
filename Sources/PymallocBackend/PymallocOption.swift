//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// One behaviour switch of ``PymallocOptions``, as ``PymallocOptions/table`` declares it: its environment variable,
/// its default and values, what it does and what it trades, and how a value is applied.
///
/// The table is the one place an option is declared: ``PymallocOptions/fromEnvironment(_:)`` reads the variables
/// through it, and the README's options table and `swiftmalloc backends`' description of each bench variant are
/// generated from it.
public struct PymallocOption: Sendable {
  /// The environment variable, e.g. `SWIFTMALLOC_PURGE`.
  public let environmentVariable: String
  /// The default, as the variable would spell it (CPython's behaviour unless said otherwise).
  public let defaultValue: String
  /// The values the variable takes.
  public let values: String
  /// What the option does, in one sentence.
  public let effect: String
  /// What it costs or trades, measured where the README says so.
  public let trade: String
  /// Sets the option from a non-empty value; `false` when the value is not one of ``values``.
  internal let _apply: @Sendable (String, inout PymallocOptions) -> Bool

  internal init(
    _ environmentVariable: String, defaultValue: String, values: String, effect: String, trade: String,
    apply: @escaping @Sendable (String, inout PymallocOptions) -> Bool
  ) {
    self.environmentVariable = environmentVariable
    self.defaultValue = defaultValue
    self.values = values
    self.effect = effect
    self.trade = trade
    _apply = apply
  }

  /// Applies `value` to `options`; a value that does not parse leaves the default and says so on standard error.
  internal func apply(_ value: String, to options: inout PymallocOptions) {
    guard !_apply(value, &options) else { return }
    PymallocOptions.writeToStandardError(
      "swift-malloc: \(environmentVariable)=\(value) is not \(values); keeping \(defaultValue)\n")
  }
}
