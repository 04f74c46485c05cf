import Yams

/// Parses one file's text into its root node; a syntax error becomes a diagnostic at
/// the line and column the YAML parser gives, explained in plain words.
enum YAMLDocument {
    enum Parsed {
        case document(YAMLValue)
        /// Nothing but comments or blanks (warned).
        case empty
        /// A syntax error (reported).
        case invalid
    }

    /// At most this many repeated fields are reported (and skipped) in one file.
    static let duplicateLimit = 20

    static func parse(_ text: String, file: String, log: DiagnosticLog) -> Parsed {
        let start = SourcePosition.start(of: file)
        var text = text
        var duplicates: [DuplicateField] = []
        // Repeated fields are reported once the path to them is known (after the re-read).
        func reportDuplicates(in root: Node?) {
            for duplicate in duplicates { duplicate.report(file: file, root: root, log: log) }
        }
        while true {
            do {
                let node = try Yams.compose(yaml: text)
                reportDuplicates(in: node)
                guard let node else {
                    log.warning(
                        "empty-file", at: start, field: "",
                        vi: "tệp trống, không có gì để đọc; hãy ghi site:, hamlets:, groups: hoặc programmes:, hoặc xóa tệp",
                        en: "the file is empty; write site:, hamlets:, groups: or programmes:, or delete the file")
                    return .empty
                }
                return .document(YAMLValue(node: node, field: "", position: start, log: log))
            } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
                // Note the repeated field, blank its second line, and read on, so the file's
                // other problems are found in the same run. A repeated field whose value spans
                // several lines cannot be blanked safely: stop there.
                let duplicate = DuplicateField(key: keys.first ?? "?", first: context.mark, in: text)
                duplicates.append(duplicate)
                guard duplicates.count < duplicateLimit, let blanked = duplicate.blanked(text) else {
                    reportDuplicates(in: nil)
                    return .invalid
                }
                text = blanked
            } catch let error as YamlError {
                // After blanking a line, a new syntax error is of our making: stay silent.
                if duplicates.isEmpty { report(error, text: text, file: file, log: log) }
                reportDuplicates(in: nil)
                return .invalid
            } catch {
                log.error(
                    "yaml-syntax", at: start, field: "", vi: "không đọc được tệp YAML: \(error)",
                    en: "cannot read the YAML file: \(error)")
                return .invalid
            }
        }
    }

    private static func report(_ error: YamlError, text: String, file: String, log: DiagnosticLog) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            let explained = YAMLSyntaxExplanation.explain(problem)
            log.error(
                "yaml-syntax", at: SourcePosition(file: file, line: mark.line, column: mark.column), field: "",
                vi: "lỗi cú pháp YAML: \(explained.vi)", en: "YAML syntax error: \(problem); \(explained.en)")
        case .reader(let problem, let offset, _, _):
            log.error(
                "yaml-syntax", at: position(ofCharacter: offset ?? 0, in: text, file: file), field: "",
                vi: "tệp có ký tự không đọc được (\(problem)); hãy lưu tệp dạng văn bản UTF-8",
                en: "the file holds a character that cannot be read (\(problem)); save it as UTF-8 text")
        default:
            log.error(
                "yaml-syntax", at: SourcePosition.start(of: file), field: "", vi: "không đọc được tệp YAML: \(error)",
                en: "cannot read the YAML file: \(error)")
        }
    }

    private static func position(ofCharacter offset: Int, in text: String, file: String) -> SourcePosition {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" { line += 1; column = 1 } else { column += character.unicodeScalars.count }
        }
        return SourcePosition(file: file, line: line, column: column)
    }
}
