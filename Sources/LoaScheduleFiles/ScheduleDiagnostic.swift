public import LoaDomain

/// One problem found in a schedule file, at a line and column, with a message a
/// culture officer can act on: what is wrong and what would be right.
public struct ScheduleDiagnostic: Sendable, Equatable, Codable {
    /// Whether the problem stops the schedule from being used.
    public enum Severity: String, Sendable, Codable {
        /// The schedule is not used until this is fixed.
        case error
        /// The schedule is used, but something deserves a look.
        case warning

        /// The word shown before a Vietnamese message: "lỗi" or "cảnh báo".
        public var vietnameseName: String { self == .error ? "lỗi" : "cảnh báo" }
    }

    public var severity: Severity
    /// The file as it was named to the loader, e.g. `Schedules/xa-binh-giang.yaml`.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars as the YAML parser does.
    public var column: Int
    /// Dotted path of the field, e.g. `programmes[2].category`; list items count from 1.
    /// Empty when the problem concerns the whole file.
    public var field: String
    /// Vietnamese first, English second.
    public var message: LocalizedText
    /// A stable machine name of the problem, e.g. `unknown-field` or `invalid-time`.
    public var kind: String

    public init(
        severity: Severity, file: String, line: Int, column: Int, field: String, message: LocalizedText, kind: String
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        self.kind = kind
    }
}
