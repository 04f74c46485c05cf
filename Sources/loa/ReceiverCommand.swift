import ArgumentParser
import LoaReceiverProcess

/// `loa receiver`: runs one hamlet device until SIGTERM/SIGINT (as `loa-receiver` does).
struct ReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiver", abstract: "Chạy thiết bị thu ở thôn (run a hamlet receiver).")

    @OptionGroup var options: ReceiverOptions

    func run() async throws { try await options.run() }
}
