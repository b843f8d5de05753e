//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import Foundation
import TcmallocReferenceBackend

/// What `swiftmalloc backends` reports: one entry per known name, and the selection in force.
struct BackendCatalog: Encodable {
  /// One backend name.
  struct Entry: Encodable {
    var name: String
    var compiledIn: Bool
    /// Why the name is unavailable, or what it is (`reference`).
    var note: String
    /// The allocator serving each family (`raw`, `mem`, `object`), empty for reference backends.
    var families: [String: String]
    var isDefault: Bool
    var isSelected: Bool
  }

  var selected: String
  var selectedConfiguration: String
  var chosenBy: String
  var defaultBackend: String
  var backends: [Entry]
  /// The bench variants of compiled-in backends: name, settings and what each setting does.
  var benchVariants: [Variant]

  /// One bench variant.
  struct Variant: Encodable {
    var name: String
    var settings: String
    var description: String
  }

  init(selection: BackendSelection) {
    selected = selection.requestedName
    selectedConfiguration = selection.configuration.name
    chosenBy = selection.source.rawValue
    let defaultConfiguration = BackendConfiguration(base: BuildConfiguration.defaultBase, debugHooks: false)
    defaultBackend = defaultConfiguration.name
    backends = Registry.configurationNames.map { name in
      Self.entry(name: name, selection: selection, defaultName: defaultConfiguration.name)
    }
    backends += Registry.referenceNames.map { name in
      Entry(
        name: name, compiledIn: name != "cpython" || BuildConfiguration.cpythonReferenceCompiledIn,
        note: Self.referenceNote(name), families: [:], isDefault: false, isSelected: false)
    }
    benchVariants = BenchVariant.all.filter { BuildConfiguration.isCompiledIn($0.base) }.map {
      Variant(name: $0.name, settings: $0.settings, description: $0.description)
    }
  }

  /// What a reference is, or why it cannot run.
  private static func referenceNote(_ name: String) -> String {
    guard name == "cpython" else {
      return TcmallocAllocator.unavailability.map { "reference, unavailable: \($0)" }
        ?? "reference: gperftools' tcmalloc, loaded RTLD_LOCAL, for bench and replay only"
    }
    return BuildConfiguration.cpythonReferenceCompiledIn
      ? "reference: libpython's pymalloc, for bench and replay only"
      : "reference, not built (enable the CPythonReference trait)"
  }

  private static func entry(name: String, selection: BackendSelection, defaultName: String) -> Entry {
    let isSelected = name == selection.requestedName
    do {
      let configuration = try Registry.configuration(named: name)
      let families = Dictionary(
        uniqueKeysWithValues: Family.allCases.map { ($0.name, configuration.allocatorName(for: $0)) })
      let note = name == "default" || name == "debug" ? "= \(configuration.name)" : ""
      return Entry(
        name: name, compiledIn: true, note: note, families: families, isDefault: name == defaultName,
        isSelected: isSelected)
    } catch {
      let note: String
      if case .notCompiledIn(let base) = error.reason {
        note = "not compiled in: built without the \(base.trait ?? base.rawValue) trait"
      } else if case .unavailable(_, let reason) = error.reason {
        note = "unavailable: \(reason)"
      } else {
        note = "\(error.reason)"
      }
      return Entry(name: name, compiledIn: false, note: note, families: [:], isDefault: false, isSelected: isSelected)
    }
  }

  /// A fixed-width table, one line saying which backend is in force and who chose it, then the bench variants.
  func table() -> String {
    let header = ["NAME", "BUILT", "RAW", "MEM", "OBJECT", "NOTE"]
    var rows = [header]
    for entry in backends {
      var note = entry.note
      if entry.isDefault { note = (note.isEmpty ? "" : note + "; ") + "build default" }
      if entry.isSelected { note = (note.isEmpty ? "" : note + "; ") + "selected by \(chosenBy)" }
      rows.append([
        entry.name, entry.compiledIn ? "yes" : "no", entry.families["raw"] ?? "-", entry.families["mem"] ?? "-",
        entry.families["object"] ?? "-", note,
      ])
    }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    let lines = rows.map { row in
      row.indices.map { column in
        column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
      }.joined()
    }
    let footer = "in force: \(selected) (= \(selectedConfiguration)), chosen by \(chosenBy)"
    let variants = benchVariants.isEmpty ? [] : ["", "bench variants:"] + benchVariants.map { "  \($0.name): \($0.description)" }
    return (lines + ["", footer] + variants).joined(separator: "\n") + "\n"
  }

  /// The catalog as pretty-printed JSON.
  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
  }
}
