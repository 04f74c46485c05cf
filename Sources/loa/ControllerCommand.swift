import ArgumentParser
import Synchronization
import LoaConsole
import LoaController
import LoaDomain
import LoaLogging
import LoaStore
import LoaSystemd
import Logging

/// `loa controller`: runs the controller until SIGTERM/SIGINT; given several settings
/// files (`-c a.json -c b.json`), one process serves each of those communes, as a
/// province's controllers do (docs/province.md). Under systemd
/// (deploy/systemd/loa-controller.service) it says when every commune serves and, with
/// `WatchdogSec=`, pings the watchdog while every commune's store answers.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller", abstract: "Chạy máy chủ điều khiển (run the controller).")

    @Option(name: .shortAndLong, help: "Controller settings file (JSON), e.g. deploy/controller.json; repeat it to serve several communes in this process")
    var config: [String]
    @OptionGroup var log: LogFormatOption

    func validate() throws {
        if config.isEmpty { throw ValidationError("give a settings file: -c deploy/controller.json") }
    }

    func run() async throws {
        log.bootstrap()
        let configurations = try config.map(ControllerConfiguration.load(from:))
        let logger = Logger(label: "loa.controller")
        let systemd = SystemdNotifier.fromEnvironment()
        let watchdog = WatchdogTask()
        let serving = ServingCommunes()
        defer { watchdog.cancel() }
        do {
            try await ControllerApp.run(configurations: configurations, logger: logger, onReady: { controller, port in
                let site = controller.configuration.site.id
                log.announce("loa controller: site \(site), HTTP on \(controller.configuration.http.host):\(port)", logger: logger)
                let all = serving.add(controller)
                guard all.count == configurations.count else { return }
                systemd.ready(status: all.count == 1 ? "site \(site), HTTP port \(port)" : "\(all.count) communes")
                if let interval = systemd.watchdogInterval {
                    watchdog.start {
                        while !Task.isCancelled {
                            // Alive while every store answers: a controller that cannot reach its store is restarted.
                            // (Not `try?`: it flattens the optional, and a commune without a schedule yet answers nil.)
                            var answering = true
                            for controller in all {
                                do { _ = try await controller.store.activeSchedule() } catch { answering = false }
                            }
                            if answering { systemd.alive() }
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

/// The communes of this process that serve so far.
final class ServingCommunes: Sendable {
    private let controllers = Mutex<[Controller]>([])

    /// Adds one; every one serving so far.
    func add(_ controller: Controller) -> [Controller] {
        controllers.withLock { $0.append(controller); return $0 }
    }
}

/// The controller's watchdog pings, started once it serves and stopped with it.
final class WatchdogTask: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) { task.withLock { $0 = Task { await body() } } }
    func cancel() { task.withLock { $0?.cancel() } }
}
