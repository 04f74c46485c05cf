import ArgumentParser
import LoaConsole
import LoaController
import LoaDomain
import Logging

/// `loa controller`: runs the controller until SIGTERM/SIGINT.
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
        do {
            try await ControllerApp.run(configuration: configuration, logger: logger, onReady: { _, port in
                log.announce("loa controller: site \(configuration.site.id), HTTP on \(configuration.http.host):\(port)", logger: logger)
            }, extraRoutes: WebConsole.routes)
        } catch is CancellationError {
            // SIGTERM or SIGINT: the services end by cancellation, a clean stop (not "Error: CancellationError()").
            logger.info("loa controller stopped")
        }
    }
}
