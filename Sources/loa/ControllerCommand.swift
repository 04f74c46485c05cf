import ArgumentParser
import Synchronization
import LoaConsole
import LoaController
import LoaDomain
import LoaLogging
import LoaStore
import LoaSystemd
import Logging

/// `loa controller`: runs the controller until SIGTERM/SIGINT. Under systemd
/// (deploy/systemd/loa-controller.service) it says when it serves and, with `WatchdogSec=`,
/// pings the watchdog while its store answers.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller", abstract: "Chạy máy chủ điều khiển (run the controller).")

    @Option(name: .shortAndLong, help: "Controller settings file (JSON), e.g. deploy/controller.json")
    var config: String
    @OptionGroup var log: LogFormatOption

    func run() async throws {
        log.bootstrap()
        let configuration = try ControllerConfiguration.load(from: config)
        let logger = Logger(label: "loa.controller")
        let systemd = SystemdNotifier.fromEnvironment()
        let watchdog = WatchdogTask()
        defer { watchdog.cancel() }
        do {
            try await ControllerApp.run(configuration: configuration, logger: logger, onReady: { controller, port in
                log.announce("loa controller: site \(configuration.site.id), HTTP on \(configuration.http.host):\(port)", logger: logger)
                systemd.ready(status: "site \(configuration.site.id), HTTP port \(port)")
                if let interval = systemd.watchdogInterval {
                    watchdog.start {
                        while !Task.isCancelled {
                            // Alive while the store answers: a controller that cannot reach it is restarted.
                            if (try? await controller.store.activeSchedule()) != nil { systemd.alive() }
                            try? await Task.sleep(for: interval)
                        }
                    }
                }
            }, extraRoutes: WebConsole.routes)
        } catch is CancellationError {
            // SIGTERM or SIGINT: the services end by cancellation, a clean stop (not "Error: CancellationError()").
            logger.info("loa controller stopped")
        }
    }
}

/// The controller's watchdog pings, started once it serves and stopped with it.
final class WatchdogTask: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) { task.withLock { $0 = Task { await body() } } }
    func cancel() { task.withLock { $0?.cancel() } }
}
