import Foundation
import LoaMQTT
import LoaProvisioning
import LoaHarness
import Synchronization

/// A real Mosquitto run with the password and ACL files rendered from a
/// registry: a controller, two devices in thôn Đông, one in thôn Tây.
final class ProvisionedBroker: Sendable {
    static let site = "xa-ha-binh"
    let broker: MosquittoBroker
    let directory: TemporaryDirectory
    let registry: Mutex<DeviceRegistry>
    let controller: BrokerCredentials
    /// loa-thon-dong-1, loa-thon-dong-2 (thôn Đông) and loa-thon-tay-1 (thôn Tây).
    let east1: BrokerCredentials, east2: BrokerCredentials, west1: BrokerCredentials

    var passwordFile: URL { directory.path("passwd") }
    var aclFile: URL { directory.path("acl") }
    var pidFile: URL { directory.path("mosquitto.pid") }

    init(extraConfiguration: String = "use_username_as_clientid true") throws {
        directory = try TemporaryDirectory(prefix: "loa-provisioned")
        var registry = DeviceRegistry()
        controller = try registry.setController(sites: [Self.site])
        east1 = try registry.add(site: Self.site, hamlet: "thon-dong")
        east2 = try registry.add(site: Self.site, hamlet: "thon-dong")
        west1 = try registry.add(site: Self.site, hamlet: "thon-tay")
        try registry.writeBrokerFiles(passwordFile: directory.path("passwd"), aclFile: directory.path("acl"))
        self.registry = Mutex(registry)
        broker = try MosquittoBroker(
            configuration: """
                allow_anonymous false
                password_file \(directory.path("passwd").path)
                acl_file \(directory.path("acl").path)
                pid_file \(directory.path("mosquitto.pid").path)
                \(extraConfiguration)
                """,
            directory: directory)
    }

    func stop() {
        broker.stop()
        directory.remove()
    }

    /// Revokes `id`, rewrites the broker files and sends mosquitto SIGHUP through its pid file.
    func revokeAndReload(_ id: String) throws {
        try registry.withLock { registry in
            try registry.revoke(id)
            try registry.writeBrokerFiles(passwordFile: passwordFile, aclFile: aclFile)
        }
        try BrokerReload.reload(pidFile: pidFile)
    }

    /// A client with these credentials (client id = username unless given), not yet waited for.
    func client(_ credentials: BrokerCredentials?, clientID: String? = nil) throws -> MQTTClient {
        try MQTTClient(options: .init(
            host: "127.0.0.1", port: broker.port, clientID: clientID ?? credentials?.username ?? "anonymous",
            credentials: credentials.map { .init(username: $0.username, password: $0.password) },
            reconnectBackoff: (.milliseconds(100), .milliseconds(500))))
    }

    /// A connected client.
    func connected(_ credentials: BrokerCredentials, clientID: String? = nil) async throws -> MQTTClient {
        let client = try client(credentials, clientID: clientID)
        try await client.waitUntilConnected(timeout: .seconds(5))
        return client
    }

    /// Tries to connect and reports how the broker answered.
    func attempt(_ credentials: BrokerCredentials?, clientID: String? = nil) async throws -> MQTTError? {
        let client = try client(credentials, clientID: clientID)
        defer { Task { await client.close() } }
        do {
            try await client.waitUntilConnected(timeout: .seconds(5))
            return nil
        } catch let error as MQTTError {
            return error
        }
    }
}

/// Collects what a client receives, so a test can check what did NOT arrive.
final class Inbox: Sendable {
    private let received = Mutex<[MQTTMessage]>([])
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ client: MQTTClient) {
        task.withLock {
            $0 = Task { [weak self] in
                for await message in client.messages {
                    self?.received.withLock { $0.append(message) }
                }
            }
        }
    }

    var messages: [MQTTMessage] { received.withLock { $0 } }
    var topics: [String] { messages.map(\.topic) }

    /// Waits until `done` holds (or `timeout`), then `grace` longer for stragglers.
    func wait(
        timeout: Duration = .seconds(5), grace: Duration = .milliseconds(500),
        until done: @Sendable ([MQTTMessage]) -> Bool
    ) async {
        let deadline = ContinuousClock.now + timeout
        while !done(messages), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? await Task.sleep(for: grace)
    }

    deinit { task.withLock { $0?.cancel() } }
}
