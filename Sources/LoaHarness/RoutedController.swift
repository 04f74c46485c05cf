public import Foundation
public import LoaController
import LoaConsole
public import LoaDomain
import LoaMQTT
public import LoaProtocol
public import LoaStore

/// A controller without a network: its data folder on disk (SQLite store, keys, media),
/// an in-memory broker link that keeps what it publishes, and a client that hands
/// requests straight to its router (API and console). Nothing runs in the background:
/// no ingestion loop, no refresh, no checkpoint timer; a test calls what it needs.
public final class RoutedController: Sendable {
    public let controller: Controller
    /// Its broker: the documents it published (retained) and the messages a test sends it.
    public let link: MemoryBrokerLink
    public let directory: TemporaryDirectory
    /// Requests to its router, as from a browser or `loa`.
    public let client: RouterClient<ControllerRequestContext>
    /// The bootstrap API token (the `admin` user).
    public let apiToken: String
    private let clock: @Sendable () -> Date

    /// Assembles the controller of `site` (`ControllerApp.assemble`) on a fresh data folder.
    /// - Parameters:
    ///   - store: the store engine; SQLite in the data folder when nil.
    ///   - clock: the controller's time source.
    ///   - configure: changes to the settings (e.g. the province's export endpoint).
    public init(
        site: Site = Commune.testSite, quietHours: [QuietHours]? = nil, store: ControllerConfiguration.StoreSettings? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        configure: (inout ControllerConfiguration) -> Void = { _ in }
    ) async throws {
        self.clock = clock
        directory = try TemporaryDirectory(prefix: "loa-controller")
        link = MemoryBrokerLink()
        var configuration = ControllerConfiguration(
            site: site, broker: .init(host: "127.0.0.1", port: 1), http: .init(host: "127.0.0.1", port: 0),
            dataDirectory: directory.path("controller").path, allowAnonymousBroker: true, quietHours: quietHours, store: store)
        configure(&configuration)
        (controller, apiToken) = try await ControllerApp.assemble(configuration: configuration, link: link, clock: clock)
        client = RouterClient(ControllerRouter.make(controller: controller, apiToken: apiToken, extraRoutes: WebConsole.routes))
    }

    /// A new console user with `roles` (its API token): e.g. a leader who may announce.
    public func token(for name: String, displayName: String, roles: Set<ConsoleRole>) async throws -> String {
        try await controller.store.addUser(name: name, displayName: displayName, roles: roles, at: clock()).token
    }

    /// The hamlet's retained schedule document, its signature checked with the controller's key.
    public func document(of hamlet: String) throws -> ZoneSchedule? {
        let topic = Topics(site: controller.configuration.site.id).zoneSchedule(hamlet)
        guard let message = link.retained(on: topic) else { return nil }
        var verifier = DownwardMessageVerifier(trusting: [controller.store.verifierKey])
        let opened = try verifier.open(message.payload, topic: topic, now: clock()).get()
        return try WireCoding.decode(ZoneSchedule.self, from: opened.payload)
    }
}
