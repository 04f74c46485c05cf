public import ArgumentParser
import LoaLogging
import Logging

/// `--log-format text|json` of the long-running commands (`loa controller`, `loa receiver`).
struct LogFormatOption: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(stringLiteral: LogFormat.help))
    var logFormat: LogFormat = .text

    /// Installs the JSON handler for every logger when asked; call once, before any logger is made.
    func bootstrap() { logFormat.bootstrap() }

    /// Says a startup fact: printed for people, or an `info` line of `logger` in JSON.
    func announce(_ message: String, logger: Logger) { logFormat.announce(message, logger: logger) }
}

// The values `--log-format` takes: its cases, by name.
extension LogFormat: ExpressibleByArgument {}
