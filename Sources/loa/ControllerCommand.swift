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

    func run() async throws {
        let configuration = try ControllerConfiguration.load(from: config)
        try await ControllerApp.run(configuration: configuration, onReady: { _, port in
            print("loa controller: site \(configuration.site.id), HTTP on \(configuration.http.host):\(port)")
        }, extraRoutes: WebConsole.routes)
    }
}
