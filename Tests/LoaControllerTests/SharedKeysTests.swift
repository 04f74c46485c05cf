import Foundation
@testable import LoaController
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import Testing

/// A commune's controllers keep its signing keys and media secret in the province's
/// database, sealed with a secrets key each of them holds (`store.secretsKeyFile`),
/// and share no folder: they sign with one key, take each other's media tokens and
/// follow a rotation asked of any of them.
@Suite("Commune keys in the database (PostgreSQL)")
struct SharedKeysTests {
    /// Two controllers of the test commune on a fresh database, each with its own data
    /// folder, both holding `folder/secrets.key`; and the folder.
    static func twoControllers(clock: TestClock) async throws -> (RoutedController, RoutedController, TemporaryDirectory) {
        let folder = try TemporaryDirectory(prefix: "loa-shared-keys")
        let store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        let first = try await RoutedController(store: store, clock: clock.function)
        let second = try await RoutedController(store: store, clock: clock.function)
        return (first, second, folder)
    }

    @Test("both controllers sign with one key and make the same media tokens; neither data folder holds a key; the database holds none in the clear")
    func oneKeyNoSharedFolder() async throws {
        let clock = TestClock(Date())
        let (first, second, folder) = try await Self.twoControllers(clock: clock)
        defer { first.directory.remove(); second.directory.remove(); folder.remove() }

        #expect(first.controller.store.verifierKey == second.controller.store.verifierKey)
        let device = "loa-thon-a-1"
        let token = first.controller.mediaAccess.token(for: device)
        #expect(second.controller.mediaAccess.device(authorization: "Bearer \(device):\(token)") == device)
        for routed in [first, second] {
            for name in ["controller.key", "media.secret", "keys.json"] {
                #expect(!FileManager.default.fileExists(atPath: routed.directory.path("controller/\(name)").path), "\(name) written")
            }
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("secrets.key").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // What the database holds: the private key nowhere in the clear, the public history readable.
        let postgres = try #require(first.controller.store as? PostgresStore)
        let stored = try #require(try await PostgresCommuneRecords(database: postgres.database, site: Commune.testSite.id).communeRecord(.keys))
        let privateKey = first.controller.keys.active.rawPrivateKey
        #expect(stored.body.range(of: privateKey) == nil && stored.body.range(of: Data(privateKey.base64EncodedString().utf8)) == nil)
        let history = try await second.client.get("/log/keys")
        #expect(try WireCoding.decode([ControllerKeyRecord].self, from: Data(history.text.utf8)).map(\.key)
            == [first.controller.store.verifierKey.text])
    }

    @Test("a rotation asked of one controller: the other refuses a second, learns of it at its next refresh, switches at its instant; the switch is done and republished once")
    func rotationFollowed() async throws {
        let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded())
        let clock = TestClock(start)
        let (first, second, folder) = try await Self.twoControllers(clock: clock)
        defer { first.directory.remove(); second.directory.remove(); folder.remove() }
        let oldKey = first.controller.store.verifierKey

        let takeover = start.addingTimeInterval(KeyRotation.defaultKeyNotice + 60)
        let record = try await first.controller.keyRotation.rotateKey(validFrom: takeover, by: "admin")
        let newKey = try record.verifierKey()
        #expect(second.controller.keys.rotation == nil, "not refreshed yet")
        await #expect(throws: KeyRotationError.alreadyRotating(until: takeover), "the database knows of the first") {
            _ = try await second.controller.keyRotation.rotateKey(validFrom: takeover.addingTimeInterval(60), by: "admin")
        }
        try await second.controller.keyRotation.keyVault.refresh(second.controller.keys)
        #expect(second.controller.keys.rotation?.next.verifier == newKey)
        #expect(second.controller.store.verifierKey == oldKey, "the old key signs until the takeover")

        clock.set(takeover)
        #expect(first.controller.store.verifierKey == newKey && second.controller.store.verifierKey == newKey)
        async let one: Void = first.controller.keyRotation.completeDueRotation()
        async let other: Void = second.controller.keyRotation.completeDueRotation()
        _ = try await (one, other)
        let rotated = try await first.controller.store.auditTrail().filter { $0.action == .keyRotated }
        #expect(rotated.count == 1, "completed by one controller, not both: \(rotated)")
        #expect(first.controller.keys.rotation == nil && second.controller.keys.rotation == nil)

        // The next rotation may be asked of either; both serve the same history of three keys.
        _ = try await second.controller.keyRotation.rotateKey(validFrom: takeover.addingTimeInterval(3600), by: "admin")
        let histories = try await [first, second].asyncMap { try WireCoding.decode([ControllerKeyRecord].self, from: Data(try await $0.client.get("/log/keys").text.utf8)) }
        #expect(histories[0] == histories[1] && histories[0].count == 3)
        #expect(histories[0][0].retiredAt == takeover && histories[0][1].key == newKey.text)
    }

    @Test("a controller holding another secrets key refuses to start and says to copy the first one's")
    func anotherSecretsKey() async throws {
        let clock = TestClock(Date())
        let (first, second, folder) = try await Self.twoControllers(clock: clock)
        defer { first.directory.remove(); second.directory.remove(); folder.remove() }
        var store = try #require(first.controller.configuration.store)
        store.secretsKeyFile = folder.path("another.key").path
        do {
            let third = try await RoutedController(store: store, clock: clock.function)
            third.directory.remove()
            Issue.record("started with another secrets key")
        } catch {
            let text = "\(error)"
            #expect(text.contains("another.key") && text.contains("sealed with another secrets key"), "\(text)")
        }
    }

    @Test("with no store.secretsKeyFile each controller's secrets key is in its own data folder: a second controller of the commune refuses to start rather than sign with a key of its own")
    func defaultSecretsKeyPerFolder() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-shared-keys")
        defer { folder.remove() }
        var store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        store.secretsKeyFile = nil
        let first = try await RoutedController(store: store)
        defer { first.directory.remove() }
        #expect(FileManager.default.fileExists(atPath: first.directory.path("controller/secrets.key").path))
        do {
            let second = try await RoutedController(store: store)
            second.directory.remove()
            Issue.record("a second controller started with a secrets key of its own")
        } catch {
            #expect("\(error)".contains("sealed with another secrets key"), "\(error)")
        }
    }

    @Test("controllers of a new commune starting at once make one key and one media secret")
    func startingTogether() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-shared-keys")
        defer { folder.remove() }
        let database = try await PostgresDatabase(connection: try await SharedPostgres.freshDatabase())
        let sealing = try SecretsKey.loadOrCreate(at: folder.path("secrets.key").path)
        let loaded = try await (0..<4).asyncMap(concurrently: true) { index in
            let vault = Self.vault(database, sealing, folder.path("controller-\(index)"))
            return (try await vault.load(clock: { Date() }).active.verifier, try await vault.mediaSecret())
        }
        await database.close()
        #expect(Set(loaded.map(\.0)).count == 1 && Set(loaded.map(\.1)).count == 1)
    }

    @Test("a commune moving onto the database keeps its data folder's key, the rotation under way and its media secret; a controller with an empty folder gets the same")
    func movedFromTheFolder() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-shared-keys")
        defer { folder.remove() }
        let name = ControllerConfiguration.keyName(site: Commune.testSite.id)
        let files = ControllerKeyFiles(directory: folder.path("old"), name: name)
        try FileManager.default.createDirectory(at: files.directory, withIntermediateDirectories: true)
        let current = try files.load(clock: { Date() }).active
        let rotation = ControllerKeyRing.Rotation(
            next: SigningKey(name: name), validFrom: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3600).rounded()),
            announcement: Data("announced".utf8))
        try files.saveRotation(from: current, to: rotation)
        let secret = try files.mediaSecret()

        let database = try await PostgresDatabase(connection: try await SharedPostgres.freshDatabase())
        let sealing = try SecretsKey.loadOrCreate(at: folder.path("secrets.key").path)
        for directory in [files.directory, folder.path("new")] {
            let vault = Self.vault(database, sealing, directory)
            let ring = try await vault.load(clock: { Date() })
            #expect(ring.active.verifier == current.verifier && ring.rotation?.next.verifier == rotation.next.verifier)
            #expect(ring.rotation?.validFrom == rotation.validFrom && ring.rotation?.announcement == rotation.announcement)
            #expect(try await vault.mediaSecret() == secret)
            #expect(try await vault.history() == files.history())
        }
        await database.close()
    }

    static func vault(_ database: PostgresDatabase, _ sealing: SecretsKey, _ directory: URL) -> DatabaseKeyVault {
        DatabaseKeyVault(
            records: PostgresCommuneRecords(database: database, site: Commune.testSite.id), site: Commune.testSite.id,
            name: ControllerConfiguration.keyName(site: Commune.testSite.id), sealing: sealing, dataDirectory: directory)
    }
}

extension Sequence where Element: Sendable {
    /// `transform` of each element in order; all at once when `concurrently`.
    func asyncMap<T: Sendable>(
        concurrently: Bool = false, _ transform: @escaping @Sendable (Element) async throws -> T
    ) async throws -> [T] {
        guard concurrently else {
            var results: [T] = []
            for element in self { results.append(try await transform(element)) }
            return results
        }
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, element) in enumerated() { group.addTask { (index, try await transform(element)) } }
            var results: [(Int, T)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
