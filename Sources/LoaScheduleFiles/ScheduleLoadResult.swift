public import LoaDomain

/// What reading schedule files gave: the schedule when nothing is wrong, and every problem found.
public struct ScheduleLoadResult: Sendable {
    /// The schedule; nil when there is any error.
    public var schedule: BroadcastSchedule?
    /// Errors and warnings, in file order (as the files were given), then line and column order.
    public var diagnostics: [ScheduleDiagnostic]
    /// True when at least one diagnostic is an error.
    public var hasErrors: Bool
    /// For each audio programme's id, the absolute path of its audio file (for uploading).
    public var audioFiles: [String: String]
    /// For each notice with an attachment, the notice's id → the attachment's absolute path (for uploading).
    public var noticeFiles: [String: String]

    public init(
        schedule: BroadcastSchedule?, diagnostics: [ScheduleDiagnostic], audioFiles: [String: String] = [:],
        noticeFiles: [String: String] = [:]
    ) {
        self.schedule = schedule
        self.diagnostics = diagnostics
        self.hasErrors = diagnostics.contains { $0.severity == .error }
        self.audioFiles = audioFiles
        self.noticeFiles = noticeFiles
    }

    /// How many diagnostics are errors.
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    /// How many diagnostics are warnings.
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
}
