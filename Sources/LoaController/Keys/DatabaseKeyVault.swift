public import Foundation
public import LoaProtocol
public import LoaStore
import Synchronization

/// A commune's signing keys and media secret in the province's database (its
/// `CommuneRecord.keys`), so its controllers need no shared data folder:
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
    let records: any CommuneRecordStore
    let site: String
    /// The keys' signed-note name (`ControllerConfiguration.keyName(site:)`).
    let name: String
    let sealing: SecretsKey
    /// The data folder whose keys are taken in when the database has none yet.
    let dataDirectory: URL
    /// The revision a ring was last brought up to, and its public history (served by
    /// `GET /log/keys` without asking the database each time); nil after this vault changed the keys.
    private let seen = Mutex<(revision: Int64, history: [ControllerKeyRecord])?>(nil)

    /// The record as stored: the public history, and the private part sealed.
    struct Record: Codable {
        var history: [ControllerKeyRecord]
        var sealed: Data
    }

    /// The private part.
    struct Secrets: Codable, Equatable {
        var format = 1
        /// The key in force (raw Ed25519 seed).
        var current: Data
        /// During a rotation, the key that takes over.
        var next: Data?
        var mediaSecret: Data
    }

    public init(records: any CommuneRecordStore, site: String, name: String, sealing: SecretsKey, dataDirectory: URL) {
        (self.records, self.site, self.name, self.sealing, self.dataDirectory) = (records, site, name, sealing, dataDirectory)
    }

    public func load(clock: @escaping @Sendable () -> Date) async throws -> ControllerKeyRing {
        let stored = try await records.communeRecord(.keys, orFirst: { try firstRecord(clock: clock) })
        let keys = try self.keys(in: stored)
        let ring = ControllerKeyRing(current: keys.current, rotation: keys.rotation, clock: clock)
        seen.withLock { $0 = (stored.revision, keys.history) }
        if ring.isRotationDue { _ = try await completeRotation(of: ring) }
        return ring
    }

    public func history() async throws -> [ControllerKeyRecord] {
        if let history = seen.withLock({ $0?.history }) { return history }
        return try await Self.history(in: records)
    }

    /// The public history of keys kept in `records`, oldest first; no secrets key is needed to read it.
    public static func history(in records: any CommuneRecordStore) async throws -> [ControllerKeyRecord] {
        guard let stored = try await records.communeRecord(.keys) else { return [] }
        return try WireCoding.decode(Record.self, from: stored.body).history
    }

    public func mediaSecret() async throws -> Data {
        let stored = try await records.communeRecord(.keys, orFirst: { try firstRecord(clock: { Date() }) })
        return try opened(WireCoding.decode(Record.self, from: stored.body)).mediaSecret
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
        guard let stored = try await records.communeRecord(.keys), stored.revision != seen.withLock({ $0?.revision }) else { return }
        try reset(ring, to: stored)
    }

    // MARK: The stored record

    /// Makes `ring` hold the keys of `stored`.
    private func reset(_ ring: ControllerKeyRing, to stored: StoredCommuneRecord) throws {
        let keys = try self.keys(in: stored)
        ring.reset(current: keys.current, rotation: keys.rotation)
        seen.withLock { $0 = (stored.revision, keys.history) }
    }

    /// The key in force and the rotation under way that `stored` holds.
    private func keys(in stored: StoredCommuneRecord) throws
        -> (current: SigningKey, rotation: ControllerKeyRing.Rotation?, history: [ControllerKeyRecord])
    {
        let record = try WireCoding.decode(Record.self, from: stored.body)
        let secrets = try opened(record)
        let next = try secrets.next.map { try SigningKey(name: name, rawPrivateKey: $0) }
        return (
            try SigningKey(name: name, rawPrivateKey: secrets.current),
            next.flatMap { ControllerKeyRing.Rotation(next: $0, announcedIn: record.history) }, record.history)
    }

    /// Applies `body` to the stored keys, again on what another controller stored meanwhile.
    /// - Returns: what `body` returned on the revision it was applied to.
    @discardableResult
    private func change<T>(_ body: (inout Secrets, inout [ControllerKeyRecord]) throws -> T) async throws -> T {
        defer { seen.withLock { $0 = nil } }
        return try await records.changeCommuneRecord(.keys, orFirst: { try firstRecord(clock: { Date() }) }) { stored in
            let record = try WireCoding.decode(Record.self, from: stored)
            let before = try opened(record)
            var secrets = before, history = record.history
            let result = try body(&secrets, &history)
            guard secrets != before || history != record.history else { return (nil, result) }
            return (try sealed(history: history, secrets), result)
        }
    }

    /// The first record: the data folder's keys when it holds one, else new ones.
    private func firstRecord(clock: @escaping @Sendable () -> Date) throws -> Data {
        let files = ControllerKeyFiles(directory: dataDirectory, name: name)
        guard FileManager.default.fileExists(atPath: files.currentFile.path) else {
            let key = SigningKey(name: name)
            return try sealed(
                history: [ControllerKeyRecord(key: key.verifier)], Secrets(current: key.rawPrivateKey, mediaSecret: MediaToken.newSecret()))
        }
        let ring = try files.load(clock: clock)
        let current = try SigningKey.loadOrCreate(name: name, at: files.currentFile)
        let mediaSecretFile = dataDirectory.appendingPathComponent("media.secret")
        let mediaSecret = FileManager.default.fileExists(atPath: mediaSecretFile.path) ? try files.mediaSecret() : MediaToken.newSecret()
        return try sealed(
            history: try files.history(),
            Secrets(current: current.rawPrivateKey, next: ring.rotation?.next.rawPrivateKey, mediaSecret: mediaSecret))
    }

    private func sealed(history: [ControllerKeyRecord], _ secrets: Secrets) throws -> Data {
        try WireCoding.encode(Record(history: history, sealed: try sealing.seal(WireCoding.encode(secrets), site: site)))
    }

    private func opened(_ record: Record) throws -> Secrets {
        try WireCoding.decode(Secrets.self, from: sealing.open(record.sealed, site: site))
    }
}
