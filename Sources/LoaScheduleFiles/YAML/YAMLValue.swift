import Foundation
import Yams

/// A YAML node with the file, line, column and field path it came from, and the log
/// its problems go to. Readers never lose a position: every value they return is
/// `Located`, every problem names the field.
struct YAMLValue {
    let node: Node
    /// Dotted path, e.g. `programmes[2].category`; empty for the file's root.
    let field: String
    let position: SourcePosition
    let log: DiagnosticLog

    /// A node at its own mark, or at `fallback` when the parser gave none.
    init(node: Node, field: String, position fallback: SourcePosition, log: DiagnosticLog) {
        let position = node.mark.map { SourcePosition(file: fallback.file, line: $0.line, column: $0.column) }
        self.init(node: node, field: field, exactly: position ?? fallback, log: log)
    }

    /// A node reported at `position`, whatever its mark.
    init(node: Node, field: String, exactly position: SourcePosition, log: DiagnosticLog) {
        self.node = node
        self.field = field
        self.position = position
        self.log = log
    }

    /// A node inside this one, at `field` (already the full path).
    func child(_ node: Node, field: String) -> YAMLValue {
        YAMLValue(node: node, field: field, position: position, log: log)
    }

    func located<Value>(_ value: Value) -> Located<Value> { Located(value: value, position: position, field: field) }

    func error(_ kind: String, vi: String, en: String) {
        log.error(kind, at: position, field: field, vi: vi, en: en)
    }

    func warning(_ kind: String, vi: String, en: String) {
        log.warning(kind, at: position, field: field, vi: vi, en: en)
    }

    /// The last field name, without list indices: `programmes[2].slots[1]` → `slots`.
    var key: String {
        let last = field.split(separator: ".").last.map(String.init) ?? field
        return last.split(separator: "[").first.map(String.init) ?? last
    }

    /// True for an empty value: `key:` with nothing after it, `~` or `null`.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The shapes a YAML node takes.
    enum Shape { case scalar, list, mapping, alias }

    var shapeKind: Shape {
        if node.scalar != nil { return .scalar }
        if node.sequence != nil { return .list }
        if node.mapping != nil { return .mapping }
        return .alias
    }

    /// How this node is written, for "expected … but found …" messages.
    var shape: (vi: String, en: String) {
        switch shapeKind {
        case .scalar: ("một giá trị đơn", "a single value")
        case .list: ("một danh sách", "a list")
        case .mapping: ("một nhóm trường", "a group of fields")
        case .alias: ("một tham chiếu YAML", "a YAML alias")
        }
    }

    /// `key: example` from the field guide, for messages that show what would be right.
    var exampleLine: String? { FieldGuide.example(for: field).map { "\(key): \($0)" } }

    /// " e.g. `key: example`" in each language, or nothing when the guide has no example.
    var exampleHint: (vi: String, en: String) {
        guard let line = exampleLine else { return ("", "") }
        return ("; ví dụ: \(line)", "; e.g. \(line)")
    }

    /// Reports an empty value, with an example of what belongs there.
    func reportMissingValue() {
        let example = exampleLine
        error(
            "missing-value",
            vi: "'\(key)' để trống; hãy ghi giá trị\(example.map { " (ví dụ: \($0))" } ?? "") hoặc xóa cả dòng nếu không cần",
            en: "'\(key)' has no value; write one\(example.map { " (e.g. \($0))" } ?? "") or remove the line if it is not needed")
    }

    /// Reports that this node has the wrong shape: `expected` names what was wanted.
    func reportWrongType(expected: (vi: String, en: String)) {
        let found = shape
        let hint = exampleHint
        error(
            "wrong-type",
            vi: "'\(key)' cần \(expected.vi) nhưng ở đây là \(found.vi)\(hint.vi)",
            en: "'\(key)' needs \(expected.en) but this is \(found.en)\(hint.en)")
    }

    /// The text of a single value, NFC, trimmed; nil (reported) when empty or not a single value.
    /// The text, when it is at most `limit` characters; else reports how long it is and the limit.
    func text(atMost limit: Int) -> String? {
        guard let text = text() else { return nil }
        guard text.count <= limit else {
            error(
                "too-long",
                vi: "'\(key)' dài \(text.count) ký tự; tối đa \(limit) ký tự, hãy rút gọn",
                en: "'\(key)' is \(text.count) characters long; at most \(limit), shorten it")
            return nil
        }
        return text
    }

    func text() -> String? {
        if isNull {
            reportMissingValue()
            return nil
        }
        guard case .scalar(let scalar) = node else {
            reportWrongType(expected: ("một giá trị đơn", "a single value"))
            return nil
        }
        let text = scalar.string.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            reportMissingValue()
            return nil
        }
        return text
    }

    /// The items of a list, each at its own path (`field[1]`, `field[2]` …, counted from 1).
    func list() -> [YAMLValue]? {
        if isNull {
            reportMissingValue()
            return nil
        }
        guard case .sequence(let sequence) = node else {
            reportWrongType(expected: ("một danh sách", "a list"))
            return nil
        }
        return sequence.enumerated().map { index, item in child(item, field: "\(field)[\(index + 1)]") }
    }

    /// The items of a list, reporting an empty list as an error.
    func nonEmptyList() -> [YAMLValue]? {
        guard let items = list() else { return nil }
        if items.isEmpty {
            let hint = exampleHint
            error(
                "empty-list", vi: "danh sách '\(key)' trống; hãy ghi ít nhất một mục\(hint.vi)",
                en: "the list '\(key)' is empty; give at least one item\(hint.en)")
            return nil
        }
        return items
    }
}
