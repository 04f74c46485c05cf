public import Foundation
import Hummingbird
import LoaMQTT
import LoaStore
public import Logging
import ServiceLifecycle

/// Puts a controller together from its settings and runs it: the SQLite store,
/// the media folder, the API token, the broker connection, report ingestion and
/// the HTTP server, until SIGTERM/SIGINT or cancellation.
public enum ControllerApp {
    /// Runs the controller.
    /// - Parameters:
    ///   - configuration: the settings.
    ///   - onReady: called with the controller and the HTTP port once it serves (the port is
    ///     the one bound, useful when the settings ask for port 0).
    public static func run(
        configuration: ControllerConfiguration, logger: Logger = Logger(label: "loa.controller"),
        onReady: @escaping @Sendable (Controller, Int) async -> Void = { _, _ in }
    ) async throws {
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let store = try ControllerStore(path: dataDirectory.appendingPathComponent("loa.sqlite").path)
        let media = try MediaStore(directory: dataDirectory.appendingPathComponent("media"))
        let token = try APIToken.loadOrCreate(in: configuration.dataDirectory)
        let broker = configuration.broker
        let mqtt = try MQTTClient(options: MQTTClientOptions(
            host: broker.host, port: broker.port, clientID: broker.clientID,
            credentials: broker.username.map { .init(username: $0, password: broker.password ?? "") }))
        do {
            try await mqtt.waitUntilConnected(timeout: .seconds(10))
        } catch let error as MQTTError {
            // Refused credentials will not fix themselves: stop with the reason.
            if case .refused = error { await mqtt.close(); throw error }
            logger.warning("broker not reachable yet; retrying in the background", metadata: ["error": "\(error)"])
        }
        let controller = Controller(configuration: configuration, store: store, media: media, mqtt: mqtt, logger: logger)
        try await controller.publishAllSchedules()

        let router = ControllerRouter.make(controller: controller, apiToken: token)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "loa"),
            services: [ReportIngestion(controller: controller)],
            onServerRunning: { channel in
                await onReady(controller, channel.localAddress?.port ?? configuration.http.port)
            },
            logger: logger)
        defer { Task { await mqtt.close() } }
        try await app.runService()
    }
}

/// Stores the receivers' events and states as they arrive.
struct ReportIngestion: Service {
    let controller: Controller

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await controller.ingestReports()
        }
    }
}
