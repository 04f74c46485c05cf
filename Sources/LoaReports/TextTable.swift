/// A fixed-width text table for a terminal: headings (Vietnamese first, English
/// in brackets), a rule, then the rows; columns padded by characters (NFC text,
/// so one character is one column for Vietnamese).
public enum TextTable {
    /// The table's lines, joined with newlines.
    public static func render(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: max(0, width - cell.count)) }
                .joined(separator: "  ")
                .replacing(/\s+$/, with: "")
        }
        return ([line(header), line(widths.map { String(repeating: "─", count: $0) })] + rows.map(line))
            .joined(separator: "\n")
    }
}
