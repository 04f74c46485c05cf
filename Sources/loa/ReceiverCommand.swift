import ArgumentParser
import LoaReceiverProcess

/// `loa receiver`: runs one hamlet device until SIGTERM/SIGINT (as `loa-receiver` does).
struct ReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiver", abstract: "Chạy thiết bị thu ở thôn (run a hamlet receiver).")

    @Option(name: .shortAndLong, help: "Receiver settings file (JSON)")
    var config: String
    @OptionGroup var log: LogFormatOption

    func run() async throws { try await ReceiverProcess.run(config: config, logFormat: log.logFormat) }
}
