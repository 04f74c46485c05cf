import Foundation
import Yams

/// A field written twice in one mapping. The YAML parser names only the first; the second
/// is the next line with the same key at the same column, which is where the officer should look.
struct DuplicateField {
    let key: String
    let first: Mark
    /// 1-based line of the second occurrence, when found.
    let secondLine: Int?

    init(key: String, first: Mark, in text: String) {
        self.key = key
        self.first = first
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        secondLine = (first.line..<lines.count).first { index in
            let scalars = Array(lines[index].unicodeScalars)
            return scalars.count > indent
                && String(String.UnicodeScalarView(scalars[indent...])).hasPrefix(key + ":")
        }.map { $0 + 1 }
    }

    /// Reports it; `root` (the file read again without the second line) gives the field's path.
    func report(file: String, root: Node?, log: DiagnosticLog) {
        let position = SourcePosition(file: file, line: secondLine ?? first.line, column: first.column)
        let field = root.flatMap { Self.path(toKeyAt: first, in: $0, prefix: "") } ?? key
        log.error(
            "duplicate-field", at: position, field: field,
            vi: "trường '\(key)' được ghi hai lần trong cùng một mục (lần đầu ở dòng \(first.line)); hãy giữ một lần và xóa lần kia",
            en: "the field '\(key)' is written twice in the same item (first on line \(first.line)); keep one and remove the other")
    }

    /// `text` with the second occurrence's line emptied, when that line holds the whole field
    /// (`key: value` with the value on the same line); nil otherwise.
    func blanked(_ text: String) -> String? {
        guard let line = secondLine else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let content = lines[line - 1]
        guard let colon = content.firstIndex(of: ":") else { return nil }
        let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, !value.hasPrefix("#"), !value.hasPrefix("|"), !value.hasPrefix(">") else { return nil }
        lines[line - 1] = ""
        return lines.joined(separator: "\n")
    }

    /// The dotted path of the mapping key written at `mark`, e.g. `site.slots[2].id`.
    private static func path(toKeyAt mark: Mark, in node: Node, prefix: String) -> String? {
        if let mapping = node.mapping {
            for (key, value) in mapping {
                let name = prefix.isEmpty ? (key.string ?? "?") : "\(prefix).\(key.string ?? "?")"
                if let keyMark = key.mark, keyMark.line == mark.line, keyMark.column == mark.column { return name }
                if let found = path(toKeyAt: mark, in: value, prefix: name) { return found }
            }
        } else if let sequence = node.sequence {
            for (index, item) in sequence.enumerated() {
                if let found = path(toKeyAt: mark, in: item, prefix: "\(prefix)[\(index + 1)]") { return found }
            }
        }
        return nil
    }
}
