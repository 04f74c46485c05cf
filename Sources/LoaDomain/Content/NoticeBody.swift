/// One block of a notice's text, as a board lays it out.
public enum NoticeBlock: Sendable, Equatable {
    /// Running text; the lines of the paragraph joined with a space.
    case paragraph(String)
    /// A bulleted list, one string per `- ` item.
    case list([String])
    /// A table: the first `| … |` row is the header; every row has as many cells as the header
    /// (short rows are padded with empty cells).
    case table(header: [String], rows: [[String]])
}

/// The small markup of a notice's body (`Notice.body`, `BoardNotice.body`):
///
/// - paragraphs are separated by blank lines; the lines inside one join with a space;
/// - a line starting with `- ` is a list item; consecutive items make one list;
/// - consecutive lines starting with `|` make a table: cells split on `|` and trimmed, the
///   first row is the header, and a `|---|---|` separator row is skipped.
///
/// Anything else is text: there is no escaping, no HTML and no links, so a notice cannot
/// carry markup a board would run.
public enum NoticeBody {
    /// The blocks of `text`, in order.
    public static func parse(_ text: String) -> [NoticeBlock] {
        var blocks: [NoticeBlock] = []
        var paragraph: [String] = []
        var items: [String] = []
        var rows: [[String]] = []

        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
            if !items.isEmpty { blocks.append(.list(items)) }
            if let table = table(rows) { blocks.append(table) }
            paragraph = []
            items = []
            rows = []
        }

        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = trimmed(Substring(rawLine))
            if line.isEmpty {
                flush()
            } else if line.hasPrefix("|") {
                if rows.isEmpty { flush() }
                rows.append(cells(of: line))
            } else if line.hasPrefix("- ") || line == "-" {
                if items.isEmpty { flush() }
                items.append(trimmed(line.dropFirst()))
            } else {
                if !items.isEmpty || !rows.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return blocks
    }

    /// The cells of a `| a | b |` row (leading and trailing bars optional).
    static func cells(of line: String) -> [String] {
        var inner = Substring(line)
        if inner.hasPrefix("|") { inner = inner.dropFirst() }
        if inner.hasSuffix("|") { inner = inner.dropLast() }
        return inner.split(separator: "|", omittingEmptySubsequences: false).map { trimmed($0) }
    }

    /// A table of `rows` without separator rows, or nil when nothing is left.
    static func table(_ rows: [[String]]) -> NoticeBlock? {
        let kept = rows.filter { !isSeparator($0) }
        guard let header = kept.first else { return nil }
        let body = kept.dropFirst().map { row in
            row.count >= header.count ? row : row + Array(repeating: "", count: header.count - row.count)
        }
        return .table(header: header, rows: Array(body))
    }

    /// True for a `|---|:---:|` row.
    static func isSeparator(_ cells: [String]) -> Bool {
        cells.contains { !$0.isEmpty } && cells.allSatisfy { cell in
            cell.isEmpty || (cell.contains("-") && cell.allSatisfy { $0 == "-" || $0 == ":" })
        }
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
