import ArgumentParser
import LoaLogging
import Logging

/// `--log-format text|json` of the long-running commands (`loa controller`, `loa receiver`).
struct LogFormatOption: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "text (lines for people) or json (one JSON object per line on standard error, for log collectors)")
    var logFormat: Format = .text

    /// Installs the JSON handler for every logger when asked; call once, before any logger is made.
    func bootstrap() {
        guard logFormat == .json else { return }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
    }

    /// Says a startup fact: printed for people, or an `info` line of `logger` in JSON.
    func announce(_ message: String, logger: Logger) {
        if logFormat == .json { logger.info("\(message)") } else { print(message) }
    }
}
