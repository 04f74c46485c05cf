public import ArgumentParser
public import Logging

/// `--log-format text|json` of the long-running commands (`loa controller`, `loa receiver`).
public struct LogFormatOption: ParsableArguments, Sendable {
    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json
    }

    @Option(help: "text (lines for people) or json (one JSON object per line on standard error, for log collectors)")
    public var logFormat: Format = .text

    public init() {}

    /// Installs the JSON handler for every logger when asked; call once, before any logger is made.
    public func bootstrap() {
        guard logFormat == .json else { return }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
    }

    /// Says a startup fact: printed for people, or an `info` line of `logger` in JSON.
    public func announce(_ message: String, logger: Logger) {
        if logFormat == .json { logger.info("\(message)") } else { print(message) }
    }
}
