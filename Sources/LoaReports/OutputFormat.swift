/// How `loa log list` and `loa report` print.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// A fixed-width table for the terminal.
    case table
    /// RFC 4180 CSV, UTF-8.
    case csv
    /// JSON (UTF-8, keys sorted, instants RFC 3339 UTC).
    case json
    /// A self-contained printable HTML page in Vietnamese (reports only).
    case html
}
