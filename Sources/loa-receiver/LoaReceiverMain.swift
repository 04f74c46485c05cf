import ArgumentParser
import LoaReceiverProcess

/// `loa-receiver`: a hamlet device's own binary. It links the receiver alone (no
/// controller, console, reports or PostgreSQL), for the small boards in the hamlets.
@main
struct LoaReceiverMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa-receiver", abstract: "Chạy thiết bị thu ở thôn (run a hamlet receiver: loudspeaker and notice board).")

    @OptionGroup var options: ReceiverOptions

    func run() async throws { try await options.run() }
}
