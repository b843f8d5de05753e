//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

/// The on/off options of ``PymallocOptions/table``: values `1` or `0`, default `0`, each setting one `Bool`.
extension PymallocOption {
  /// An on/off option read from `variable` into the `Bool` at `keyPath`: `1` sets it, `0` clears it, any other
  /// value is refused; its default is `0`.
  internal static func onOff(
    _ variable: String, effect: String, trade: String,
    keyPath: WritableKeyPath<PymallocOptions, Bool> & Sendable
  ) -> PymallocOption {
    PymallocOption(
      variable, defaultValue: "0", values: "1 or 0", effect: effect, trade: trade,
      apply: { value, options in
        guard let on = switchValue(value) else { return false }
        options[keyPath: keyPath] = on
        return true
      })
  }

  /// The value of an on/off variable: `true` for `1`, `false` for `0`, `nil` otherwise.
  private static func switchValue(_ value: String) -> Bool? {
    switch value {
    case "1": true
    case "0": false
    default: nil
    }
  }
}
