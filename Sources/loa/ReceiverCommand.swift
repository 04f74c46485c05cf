import ArgumentParser
import LoaProtocol
import LoaReceiver
import Logging
import ServiceLifecycle
import UnixSignals

/// `loa receiver`: runs one hamlet device until SIGTERM/SIGINT.
struct ReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiver", abstract: "Chạy thiết bị thu ở thôn (run a hamlet receiver).")

    @Option(name: .shortAndLong, help: "Receiver settings file (JSON)")
    var config: String
    @OptionGroup var log: LogFormatOption

    func run() async throws {
        log.bootstrap()
        let logger = Logger(label: "loa.receiver")
        let settings: ReceiverConfiguration = try ConfigurationFile.decode(path: config)
        try settings.validate(path: config)
        let receiver = try Receiver(configuration: settings)
        log.announce(
            "loa receiver \(settings.deviceID): hamlet \(settings.hamlet), broker \(settings.broker.host):\(settings.broker.port)",
            logger: logger)
        log.announce(
            "  speaker: \(settings.audio.map { "ALSA \($0.device)" } ?? "none (audio items are not played nor reported)")", logger: logger)
        if let board = settings.board {
            log.announce("  notice board: http://\(board.host):\(board.port)/, \(Int(board.rotateSeconds)) s a notice", logger: logger)
        }
        let group = ServiceGroup(
            services: [ReceiverService(receiver: receiver)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

/// The receiver as a service: a graceful shutdown cancels it, which publishes `offline`.
struct ReceiverService: Service {
    let receiver: Receiver

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await receiver.run()
        }
    }
}
