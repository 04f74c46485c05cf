/// A place in a schedule file: file name, 1-based line and column.
struct SourcePosition: Hashable {
    var file: String
    var line: Int
    var column: Int

    /// The start of a file, for problems that concern it as a whole.
    static func start(of file: String) -> SourcePosition { SourcePosition(file: file, line: 1, column: 1) }

    /// `file:line:column`, as editors and the rendered diagnostics write it.
    var description: String { "\(file):\(line):\(column)" }
}

/// A value read from a file, with where it was written and the field that holds it.
struct Located<Value> {
    var value: Value
    var position: SourcePosition
    /// Dotted path, e.g. `programmes[2].slots[1]`.
    var field: String
}
