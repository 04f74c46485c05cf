import Yams

/// Reads a YAML mapping whose allowed fields the `FieldGuide` lists: reports unknown
/// fields (with the nearest known name) and missing required ones, hands out the
/// values at their full paths.
struct MappingReader {
    let value: YAMLValue
    private let entries: [(key: String, keyPosition: SourcePosition, node: Node)]

    /// Nil (reported) when `value` is empty or not a mapping.
    init?(_ value: YAMLValue) {
        if value.isNull {
            value.reportMissingValue()
            return nil
        }
        guard case .mapping(let mapping) = value.node else {
            value.reportWrongType(expected: ("một nhóm trường (tên: giá trị)", "a group of fields (name: value)"))
            return nil
        }
        self.value = value
        var entries: [(key: String, keyPosition: SourcePosition, node: Node)] = []
        for (key, node) in mapping {
            let keyValue = value.child(key, field: value.field)
            guard case .scalar(let scalar) = key else {
                keyValue.error(
                    "wrong-type", vi: "tên trường phải là một chữ, ví dụ 'name', không phải \(keyValue.shape.vi)",
                    en: "a field name must be a word such as 'name', not \(keyValue.shape.en)")
                continue
            }
            entries.append((scalar.string, keyValue.position, node))
        }
        self.entries = entries
        reportUnknownFields()
    }

    private var known: [String] { FieldGuide.fields(under: value.field) }

    private func path(_ key: String) -> String { value.field.isEmpty ? key : "\(value.field).\(key)" }

    private func reportUnknownFields() {
        let known = self.known
        for entry in entries where !known.contains(entry.key) {
            let list = known.joined(separator: ", ")
            let suggestion = NearestName.suggestion(for: entry.key, among: known)
            let guess: (vi: String, en: String) = suggestion.map { ("có phải ý bạn là '\($0)'? ", "did you mean '\($0)'? ") } ?? ("", "")
            value.log.error(
                "unknown-field", at: entry.keyPosition, field: path(entry.key),
                vi: "'\(entry.key)' không phải là trường dùng được ở đây; \(guess.vi)các trường dùng được: \(list)",
                en: "'\(entry.key)' is not a field here; \(guess.en)the fields allowed here: \(list)")
        }
    }

    /// True when the field is written (even with an empty value).
    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// Where the field's name is written.
    func keyPosition(_ key: String) -> SourcePosition? { entries.first { $0.key == key }?.keyPosition }

    /// The field's value, or nil when the field is not written.
    func optional(_ key: String) -> YAMLValue? {
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        let child = value.child(entry.node, field: path(key))
        // An empty value has no mark of its own worth showing: point at the field's name.
        guard child.isNull else { return child }
        return YAMLValue(node: entry.node, field: path(key), exactly: entry.keyPosition, log: value.log)
    }

    /// The field's value; a missing field is reported where the mapping starts.
    func required(_ key: String) -> YAMLValue? {
        if let found = optional(key) { return found }
        reportMissing(key)
        return nil
    }

    /// Reports a required field as missing, where the mapping starts.
    func reportMissing(_ key: String, because reason: (vi: String, en: String)? = nil, example exampleValue: String? = nil) {
        let field = path(key)
        let name = FieldGuide.vietnameseName(for: field).map { " (\($0))" } ?? ""
        let example = (exampleValue ?? FieldGuide.example(for: field)).map { "\(key): \($0)" }
        let why: (vi: String, en: String) = reason.map { (" \($0.vi)", " \($0.en)") } ?? ("", "")
        value.log.error(
            "missing-field", at: value.position, field: field,
            vi: "thiếu trường '\(key)'\(name)\(why.vi); hãy thêm\(example.map { ", ví dụ: \($0)" } ?? "")",
            en: "the field '\(key)' is missing\(why.en); add it\(example.map { ", e.g. \($0)" } ?? "")")
    }
}
