import LoaDomain

/// Collects the diagnostics of one load; every reader and check writes into the same log,
/// so a run reports all problems, never only the first.
final class DiagnosticLog {
    private(set) var diagnostics: [ScheduleDiagnostic] = []

    /// Errors recorded so far; a reader compares counts to know whether its part read cleanly.
    private(set) var errorCount = 0

    func error(_ kind: String, at position: SourcePosition, field: String, vi: String, en: String) {
        report(.error, kind, at: position, field: field, vi: vi, en: en)
    }

    func warning(_ kind: String, at position: SourcePosition, field: String, vi: String, en: String) {
        report(.warning, kind, at: position, field: field, vi: vi, en: en)
    }

    func report(
        _ severity: ScheduleDiagnostic.Severity, _ kind: String, at position: SourcePosition, field: String,
        vi: String, en: String
    ) {
        if severity == .error { errorCount += 1 }
        diagnostics.append(ScheduleDiagnostic(
            severity: severity, file: position.file, line: position.line, column: position.column, field: field,
            message: LocalizedText(vi: Self.capped(vi), en: Self.capped(en)), kind: kind))
    }

    /// The longest message kept whole, in characters; a longer one (it echoes a huge
    /// value) keeps its start and its end, where the advice is, around a mark.
    static let messageLimit = 600

    static func capped(_ message: String) -> String {
        guard message.count > messageLimit else { return message }
        let cut = message.count - messageLimit
        return "\(message.prefix(messageLimit * 2 / 3)) …[\(cut) ký tự / characters]… \(message.suffix(messageLimit / 3))"
    }

    /// The diagnostics in the order of `files` (unknown files last), then by line and column.
    func sorted(fileOrder files: [String]) -> [ScheduleDiagnostic] {
        let rank = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return diagnostics.enumerated().sorted { lhs, rhs in
            let a = lhs.element, b = rhs.element
            let keyA = (rank[a.file] ?? files.count, a.line, a.column)
            let keyB = (rank[b.file] ?? files.count, b.line, b.column)
            return keyA != keyB ? keyA < keyB : lhs.offset < rhs.offset
        }.map(\.element)
    }
}

extension Located {
    /// Records an error about this value.
    func error(_ log: DiagnosticLog, _ kind: String, vi: String, en: String) {
        log.error(kind, at: position, field: field, vi: vi, en: en)
    }

    /// Records a warning about this value.
    func warning(_ log: DiagnosticLog, _ kind: String, vi: String, en: String) {
        log.warning(kind, at: position, field: field, vi: vi, en: en)
    }
}
