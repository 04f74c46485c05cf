public import LoaLogging
import LoaProtocol
import LoaReceiver
import LoaSystemd
import Logging

/// What runs one hamlet device until SIGTERM or SIGINT, for `loa-receiver` (the device's
/// own small binary) and `loa receiver` alike: its settings file, its log format.
///
/// Under systemd (`Type=notify`, deploy/systemd/loa-receiver.service) it says when it is
/// ready and, with `WatchdogSec=`, proves every half-period that the receiver still
/// answers, so a hung receiver is restarted rather than left silent.
public enum ReceiverProcess {
    /// Reads and checks the settings in `config`, then runs the receiver until a signal stops it.
    public static func run(config: String, logFormat: LogFormat) async throws {
        logFormat.bootstrap()
        let logger = Logger(label: "loa.receiver")
        let settings: ReceiverConfiguration = try ConfigurationFile.decode(path: config)
        try settings.validate(path: config)
        let receiver = try Receiver(configuration: settings)
        logFormat.announce(
            "loa receiver \(settings.deviceID): hamlet \(settings.hamlet), broker \(settings.broker.host):\(settings.broker.port)",
            logger: logger)
        logFormat.announce(
            "  speaker: \(settings.audio.map { "ALSA \($0.device)" } ?? "none (audio items are not played nor reported)")", logger: logger)
        if let board = settings.board {
            logFormat.announce("  notice board: http://\(board.host):\(board.port)/, \(Int(board.rotateSeconds)) s a notice", logger: logger)
        }
        let service = ReceiverService(receiver: receiver, systemd: .fromEnvironment(), status: "hamlet \(settings.hamlet)")
        try await StopSignals.run { try await service.run() }
    }
}

/// The receiver under systemd: ready, watchdog pings while it answers, stopping. A stop
/// signal cancels it, which publishes `offline`.
struct ReceiverService: Sendable {
    let receiver: Receiver
    let systemd: SystemdNotifier
    let status: String

    func run() async throws {
        let watchdog = systemd.watchdogInterval.map { interval in
            Task { [receiver, systemd] in
                while !Task.isCancelled {
                    // Only a receiver whose actor answers is alive: a hung one stops the pings.
                    await receiver.heartbeat()
                    systemd.alive()
                    try? await Task.sleep(for: interval)
                }
            }
        }
        defer { watchdog?.cancel() }
        systemd.ready(status: status)
        try await receiver.run()
        systemd.stopping()
    }
}
