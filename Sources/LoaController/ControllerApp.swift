public import Foundation
import Hummingbird
import LoaDomain
public import LoaMQTT
import LoaProtocol
import LoaStore
public import LoaPostgresStore
public import Logging
import ServiceLifecycle
import UnixSignals

/// Puts a controller together from its settings and runs it: the store (SQLite or PostgreSQL),
/// the media folder, the API token, the broker connection, report ingestion and
/// the HTTP server, until SIGTERM/SIGINT or cancellation. One process may serve many
/// communes (`run(configurations:)`), as a province's controllers do.
public enum ControllerApp {
    /// Runs the controller of one commune.
    /// - Parameters:
    ///   - configuration: the settings.
    ///   - onReady: called with the controller and the HTTP port once it serves (the port is
    ///     the one bound, useful when the settings ask for port 0).
    ///   - clock: the time source; tests pass a settable one.
    ///   - extraRoutes: routes of a module above the controller (the web console).
    public static func run(
        configuration: ControllerConfiguration, logger: Logger = Logger(label: "loa.controller"),
        onReady: @escaping @Sendable (Controller, Int) async -> Void = { _, _ in },
        clock: @escaping @Sendable () -> Date = { Date() }, extraRoutes: ControllerRouteAdder? = nil
    ) async throws {
        try await run(configurations: [configuration], logger: logger, onReady: onReady, clock: clock, extraRoutes: extraRoutes)
    }

    /// Runs the controllers of several communes in this process, each as it would run
    /// alone (its store's rows, its broker, its keys and data folder, its HTTP port, its
    /// jobs), and stops them together. Communes on one PostgreSQL database share one
    /// pool of connections; every commune's MQTT client shares one network loop.
    /// - Parameter onReady: called for each commune once it serves.
    /// - Throws: `ConfigurationError` when two communes clash (site, data folder, HTTP
    ///   port, broker client id); a commune that cannot start stops them all.
    public static func run(
        configurations: [ControllerConfiguration], logger: Logger = Logger(label: "loa.controller"),
        onReady: @escaping @Sendable (Controller, Int) async -> Void = { _, _ in },
        clock: @escaping @Sendable () -> Date = { Date() }, extraRoutes: ControllerRouteAdder? = nil
    ) async throws {
        let problems = CommuneSet.problems(configurations)
        guard problems.isEmpty else { throw ConfigurationError(path: "the controllers' settings", problems: problems) }
        let databases = try DatabasePools(serving: configurations, logger: logger)
        let links = BrokerLinks()
        do {
            let holder = ControllerJobs.instanceName()
            let communes = try await withThrowingTaskGroup(of: (any Service).self) { group in
                for configuration in configurations {
                    var communeLogger = logger
                    if configurations.count > 1 { communeLogger[metadataKey: "site"] = "\(configuration.site.id)" }
                    group.addTask { [communeLogger] in
                        try await commune(
                            configuration: configuration, holder: holder, databases: databases, links: links, logger: communeLogger,
                            onReady: onReady, clock: clock, extraRoutes: extraRoutes)
                    }
                }
                var services: [any Service] = []
                for try await service in group { services.append(service) }
                return services
            }
            let group = ServiceGroup(configuration: .init(
                services: communes, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            await links.closeAll()
            await databases.closeAll()
            throw error
        }
        await links.closeAll()
        await databases.closeAll()
    }

    /// One commune's controller, connected and published, as a service: its HTTP server and jobs.
    private static func commune(
        configuration: ControllerConfiguration, holder: String, databases: DatabasePools, links: BrokerLinks, logger: Logger,
        onReady: @escaping @Sendable (Controller, Int) async -> Void, clock: @escaping @Sendable () -> Date,
        extraRoutes: ControllerRouteAdder?
    ) async throws -> any Service {
        let broker = configuration.broker
        let mqtt = try MQTTClient(options: MQTTClientOptions(
            host: broker.host, port: broker.port, clientID: broker.clientID,
            credentials: broker.username.map { .init(username: $0, password: broker.password ?? "") },
            tls: broker.caFile.map { MQTTClientOptions.TLS(caFile: $0) }))
        await links.add(mqtt)
        do {
            try await mqtt.waitUntilConnected(timeout: .seconds(10))
        } catch let error as MQTTError {
            // Refused credentials will not fix themselves: stop with the reason.
            if case .refused = error { throw error }
            logger.warning("broker not reachable yet; retrying in the background", metadata: ["error": "\(error)"])
        }
        if configuration.allowAnonymousBroker != true, await BrokerProbe.acceptsAnonymous(
            host: broker.host, port: broker.port, tls: broker.caFile.map { MQTTClientOptions.TLS(caFile: $0) }) {
            throw ConfigurationError(path: "broker \(broker.host):\(broker.port)", problems: [
                "lets anonymous clients connect, so anyone on the network could publish to the loudspeakers; set allow_anonymous false with a password file (loa device controller / loa device add), or, for a development setup only, \"allowAnonymousBroker\": true in the controller's settings"
            ])
        }
        let (controller, token) = try await assemble(
            configuration: configuration, link: mqtt, clock: clock, logger: logger, databases: databases)
        try await controller.keyRotation.publishKeyAnnouncement()
        try await controller.dispatcher.publishAllSchedules()

        let router = ControllerRouter.make(controller: controller, apiToken: token, extraRoutes: extraRoutes)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "loa"),
            services: ControllerJobs.services(of: controller, holder: holder),
            onServerRunning: { channel in
                await onReady(controller, channel.localAddress?.port ?? configuration.http.port)
            },
            logger: logger)
    }
}

extension ControllerApp {
    /// A controller on its data folder (created when missing): its signing keys, the
    /// store (`openStore`), the media folder, the device registry's media tokens, and the
    /// API token; it talks to the broker through `link`. Nothing is published yet.
    /// - Returns: the controller and the bootstrap API token (the `admin` user).
    /// - Parameter databases: the pools of the communes this process serves; nil opens the commune's own.
    public static func assemble(
        configuration: ControllerConfiguration, link: any BrokerLink,
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loa.controller"),
        databases: DatabasePools? = nil
    ) async throws -> (controller: Controller, apiToken: String) {
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let database = try await storeDatabase(configuration: configuration, logger: logger, databases: databases)
        let store: any ControllerStore, keyVault: any ControllerKeyVault, keys: ControllerKeyRing
        do {
            keyVault = try configuration.keyVault(database: database?.database)
            keys = try await keyVault.load(clock: clock)
            store = try await openStore(configuration: configuration, keys: keys, logger: logger, database: database)
        } catch {
            if let database, database.owned { await database.database.close() }
            throw error
        }
        let media = try MediaStore(directory: dataDirectory.appendingPathComponent("media"))
        let token = try APIToken.loadOrCreate(in: configuration.dataDirectory)
        let registry = configuration.deviceRegistry(database: database?.database)
        try await (registry as? DatabaseDeviceRegistry)?.start()
        let controller = Controller(
            configuration: configuration, store: store, media: media,
            mediaAccess: MediaAccess(secret: try await keyVault.mediaSecret(), registry: registry),
            link: link, keys: keys, keyVault: keyVault, clock: clock, logger: logger)
        try await controller.provinceIntake?.registerCommune()
        do {
            let copied = try await controller.media.copyFolderToDatabase()
            if copied > 0 { logger.notice("media copied into the database", metadata: ["files": "\(copied)"]) }
        } catch {
            logger.error("cannot copy the media folder into the database", metadata: ["error": "\(error)"])
        }
        return (controller, token)
    }
}

extension ControllerApp {
    /// The PostgreSQL database the settings name (`store.engine: postgres`), from the
    /// pools shared with other communes of this process, or opened for this commune
    /// alone (`owned`) when `databases` is nil; nil for the SQLite store.
    static func storeDatabase(
        configuration: ControllerConfiguration, logger: Logger, databases: DatabasePools?
    ) async throws -> (database: PostgresDatabase, owned: Bool)? {
        guard let connection = try configuration.postgresConnection() else { return nil }
        guard let databases else { return (try await PostgresDatabase(connection: connection, logger: logger), true) }
        return (try await databases.database(for: connection), false)
    }

    /// The store the settings name: SQLite at `{dataDirectory}/loa.sqlite` by default, or
    /// the commune's rows in the PostgreSQL `database` (`storeDatabase`).
    /// - Throws: `LogProblem` when the stored log does not check out; a connection error.
    static func openStore(
        configuration: ControllerConfiguration, keys: ControllerKeyRing, logger: Logger,
        database: (database: PostgresDatabase, owned: Bool)?
    ) async throws -> any ControllerStore {
        guard let database else {
            let path = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("loa.sqlite").path
            return try SQLiteStore(path: path, keys: keys)
        }
        return try await PostgresStore(
            database: database.database, closingIt: database.owned, site: configuration.site.id, keys: keys, logger: logger)
    }
}

extension ControllerConfiguration {
    /// How to reach the PostgreSQL store the settings name (its password read from
    /// `store.passwordFile`); nil for the SQLite store.
    public func postgresConnection() throws -> PostgresStore.Connection? {
        guard let settings = store, settings.engine == .postgres else { return nil }
        let password = try String(contentsOfFile: settings.passwordFile ?? "", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresStore.Connection(
            host: settings.host ?? "127.0.0.1", port: settings.port ?? 5432, user: settings.user ?? "", password: password,
            database: settings.database ?? "", caFile: settings.caFile)
    }
}

/// Asks the broker whether it lets a client in without credentials.
enum BrokerProbe {
    static func acceptsAnonymous(host: String, port: Int, tls: MQTTClientOptions.TLS?) async -> Bool {
        guard let probe = try? MQTTClient(options: MQTTClientOptions(
            host: host, port: port, clientID: "loa-anonymous-probe-\(UUID().uuidString.prefix(8).lowercased())",
            tls: tls, cleanSession: true))
        else { return false }
        defer { Task { await probe.close() } }
        do {
            try await probe.waitUntilConnected(timeout: .seconds(3))
            return true
        } catch {
            return false
        }
    }
}
