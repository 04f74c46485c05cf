public import Foundation
public import LoaProtocol
public import LoaStore
import Synchronization

/// A commune's signing keys and media secret in the province's database
/// (`CommuneKeyStore`), so its controllers need no shared data folder:
///
/// - the public history of keys is stored as it is (`GET /log/keys`, `loa log verify`);
/// - the private keys and the media secret are sealed with the controllers' `SecretsKey`;
/// - the first controller to start makes them, or takes those of its data folder
///   (`controller.key`, `controller-next.key`, `keys.json`, `media.secret`) when it has
///   them, so a commune that moves onto the database keeps the key its receivers trust
///   and the media tokens they hold;
/// - a rotation is kept by the controller that starts it, in one change with its
///   announcement; the others see it at their next `refresh` (well before it takes over:
///   the notice is at least ten times the refresh interval) and all switch at its instant.
public final class DatabaseKeyVault: ControllerKeyVault {
    let store: any CommuneKeyStore
    let site: String
    /// The keys' signed-note name (`ControllerConfiguration.keyName(site:)`).
    let name: String
    let sealing: SecretsKey
    /// The data folder whose keys are taken in when the database has none yet.
    let dataDirectory: URL
    /// The revision `refresh` last brought a ring up to.
    private let seenRevision = Mutex<Int64?>(nil)

    /// The private part, as sealed.
    struct Secrets: Codable, Equatable {
        var format = 1
        /// The key in force (raw Ed25519 seed).
        var current: Data
        /// During a rotation, the key that takes over.
        var next: Data?
        var mediaSecret: Data
    }

    public init(store: any CommuneKeyStore, site: String, name: String, sealing: SecretsKey, dataDirectory: URL) {
        (self.store, self.site, self.name, self.sealing, self.dataDirectory) = (store, site, name, sealing, dataDirectory)
    }

    public func load(clock: @escaping @Sendable () -> Date) async throws -> ControllerKeyRing {
        let stored = try await storedOrCreated(clock: clock)
        let ring = ControllerKeyRing(current: SigningKey(name: name), clock: clock)
        try reset(ring, to: stored)
        if ring.isRotationDue { _ = try await completeRotation(of: ring) }
        return ring
    }

    public func history() async throws -> [ControllerKeyRecord] { try await Self.history(in: store) }

    /// The public history of keys kept in `store`, oldest first; no secrets key is needed to read it.
    public static func history(in store: any CommuneKeyStore) async throws -> [ControllerKeyRecord] {
        guard let stored = try await store.communeKeys() else { return [] }
        return try history(in: stored)
    }

    public func mediaSecret() async throws -> Data {
        try opened(try await storedOrCreated(clock: { Date() })).mediaSecret
    }

    public func saveRotation(from current: SigningKey, to rotation: ControllerKeyRing.Rotation) async throws {
        try await change { secrets, history in
            if secrets.next != nil, let pending = history.last?.validFrom { throw KeyRotationError.alreadyRotating(until: pending) }
            secrets.next = rotation.next.rawPrivateKey
            history = history.rotating(from: current, to: rotation)
        }
    }

    public func completeRotation(of ring: ControllerKeyRing) async throws -> SigningKey? {
        guard ring.isRotationDue, let next = ring.rotation?.next.rawPrivateKey else { return nil }
        let completedHere = try await change { secrets, _ in
            guard secrets.next == next else { return false }
            (secrets.current, secrets.next) = (next, nil)
            return true
        }
        let retired = ring.completeRotation()
        return completedHere ? retired : nil
    }

    public func refresh(_ ring: ControllerKeyRing) async throws {
        guard let stored = try await store.communeKeys(), stored.revision != seenRevision.withLock({ $0 }) else { return }
        try reset(ring, to: stored)
    }

    // MARK: Stored rows

    /// Makes `ring` hold the keys of `stored`.
    private func reset(_ ring: ControllerKeyRing, to stored: StoredCommuneKeys) throws {
        let secrets = try opened(stored)
        let next = try secrets.next.map { try SigningKey(name: name, rawPrivateKey: $0) }
        ring.reset(
            current: try SigningKey(name: name, rawPrivateKey: secrets.current),
            rotation: try next.flatMap { ControllerKeyRing.Rotation(next: $0, announcedIn: try Self.history(in: stored)) })
        seenRevision.withLock { $0 = stored.revision }
    }

    /// Applies `body` to the stored keys, reading again when another controller changed them meanwhile.
    /// - Returns: what `body` returned on the revision it was applied to.
    @discardableResult
    private func change<T>(_ body: (inout Secrets, inout [ControllerKeyRecord]) throws -> T) async throws -> T {
        for _ in 0..<10 {
            let stored = try await storedOrCreated(clock: { Date() })
            var secrets = try opened(stored), history = try Self.history(in: stored)
            let (before, beforeHistory) = (secrets, history)
            let result = try body(&secrets, &history)
            if secrets == before && history == beforeHistory { return result }
            if try await store.replaceCommuneKeys(
                history: WireCoding.encode(history), sealed: sealing.seal(WireCoding.encode(secrets), site: site),
                replacing: stored.revision, at: Date())
            {
                return result
            }
        }
        throw ConfigurationError(path: "commune_keys of \(site)", problems: [
            "các bộ điều khiển khác đổi khóa 10 lần liền; thử lại (changed by other controllers 10 times in a row; try again)"
        ])
    }

    /// The stored keys, made (or taken from the data folder) when the commune has none yet.
    private func storedOrCreated(clock: @escaping @Sendable () -> Date) async throws -> StoredCommuneKeys {
        if let stored = try await store.communeKeys() { return stored }
        let (history, secrets) = try firstKeys(clock: clock)
        return try await store.createCommuneKeys(
            history: WireCoding.encode(history), sealed: sealing.seal(WireCoding.encode(secrets), site: site), at: clock())
    }

    /// Those of the data folder when it holds a key, else new ones.
    private func firstKeys(clock: @escaping @Sendable () -> Date) throws -> ([ControllerKeyRecord], Secrets) {
        let files = ControllerKeyFiles(directory: dataDirectory, name: name)
        guard FileManager.default.fileExists(atPath: files.currentFile.path) else {
            let key = SigningKey(name: name)
            return ([ControllerKeyRecord(key: key.verifier)], Secrets(current: key.rawPrivateKey, mediaSecret: Self.randomSecret()))
        }
        let ring = try files.load(clock: clock)
        let current = try SigningKey.loadOrCreate(name: name, at: files.currentFile)
        let mediaSecretFile = dataDirectory.appendingPathComponent("media.secret")
        let mediaSecret = FileManager.default.fileExists(atPath: mediaSecretFile.path) ? try files.mediaSecret() : Self.randomSecret()
        return (
            try files.history(),
            Secrets(current: current.rawPrivateKey, next: ring.rotation?.next.rawPrivateKey, mediaSecret: mediaSecret))
    }

    private func opened(_ stored: StoredCommuneKeys) throws -> Secrets {
        try WireCoding.decode(Secrets.self, from: sealing.open(stored.sealed, site: site))
    }

    private static func history(in stored: StoredCommuneKeys) throws -> [ControllerKeyRecord] {
        try WireCoding.decode([ControllerKeyRecord].self, from: stored.history)
    }

    private static func randomSecret() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
