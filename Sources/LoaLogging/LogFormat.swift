public import Logging

/// How a long-running command (`loa controller`, `loa receiver`, `loa-receiver`) writes its
/// log: `--log-format text|json`.
public enum LogFormat: String, CaseIterable, Sendable {
    /// Lines for people.
    case text
    /// One JSON object per line on standard error, for log collectors.
    case json

    /// What `--help` says of the option.
    public static let help = "text (lines for people) or json (one JSON object per line on standard error, for log collectors)"

    /// Installs the JSON handler for every logger when asked; call once, before any logger is made.
    public func bootstrap() {
        guard self == .json else { return }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
    }

    /// Says a startup fact: printed for people, or an `info` line of `logger` in JSON.
    public func announce(_ message: String, logger: Logger) {
        if self == .json { logger.info("\(message)") } else { print(message) }
    }
}
