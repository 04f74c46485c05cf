public import Foundation
public import LoaDomain
public import LoaProtocol
public import LoaStore
import LoaTransparency
public import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The store API on PostgreSQL: for a province, where many communes share one
/// database and several controllers serve them.
///
/// One `PostgresStore` is one commune (`site`): every row it writes carries the
/// site, every read is of that site only. Its transparency log is gap-free and
/// single-sequence per commune: each append locks the commune's `log_head` row, so
/// controllers on the same database append one after another, and each catches up
/// with what the others appended before it appends (sequences would leave gaps).
/// Every write is one transaction, as on SQLite.
public final class PostgresStore: ControllerStore {
    /// Where the server is and who the store is to it.
    public struct Connection: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String
        public var database: String
        /// The CA certificate (PEM) that signed the server's: set it to connect over TLS
        /// (required when the database is on another host). Plain TCP without it.
        public var caFile: String?

        public init(host: String, port: Int, user: String, password: String, database: String, caFile: String? = nil) {
            (self.host, self.port, self.user, self.password, self.database, self.caFile) = (host, port, user, password, database, caFile)
        }

        var clientConfiguration: PostgresClient.Configuration {
            get throws {
                var tls = PostgresClient.Configuration.TLS.disable
                if let caFile {
                    var configuration = TLSConfiguration.makeClientConfiguration()
                    configuration.trustRoots = .file(caFile)
                    tls = .require(configuration)
                }
                return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
            }
        }
    }

    /// The commune whose rows this store reads and writes.
    public let site: String
    let client: PostgresClient
    /// The pool this store reads and writes through.
    public let database: PostgresDatabase
    /// True when the store made its pool (and closes it); false on a shared one.
    private let ownsDatabase: Bool
    let logger: Logger
    /// The log's tree and chain as far as this process has read or appended them, and
    /// the size committed. The lock is held for in-memory steps only.
    let log: Mutex<(tree: TransparencyLog, committedSize: UInt64)>
    /// One append (or catch-up) at a time in this process; across processes the head row's lock.
    let appending = AsyncLock()
    /// Media references read or saved: a row never changes once stored (its gain is
    /// kept apart) and is never deleted, so every receiver's fetch of an emergency's
    /// audio need not ask the database again. Emptied when it grows past `knownMediaLimit`.
    private let knownMedia = Mutex<[String: MediaReference]>([:])
    private static let knownMediaLimit = 4096
    /// What each hamlet was sent, as read (`zone\0item`): a row never changes once
    /// written (the first sending is kept), so each batch of events asks only for items
    /// not read before. Emptied when it grows past `knownSentLimit`.
    let knownSent = Mutex<[String: SentItem]>([:])
    static let knownSentLimit = 20_000
    /// Schedule versions read, by version: a version's row never changes once stored, so
    /// its schedule is decoded once. The latest ``knownSchedulesLimit`` are kept.
    let knownSchedules = Mutex<[Int: StoredSchedule]>([:])
    static let knownSchedulesLimit = 4
    /// Sign the head checkpoint written with every append; the key in force at the moment signs.
    let keys: ControllerKeyRing
    var signingKey: SigningKey { keys.active }

    /// Connects, applies the migrations not applied yet and reads the commune's log.
    /// - Throws: `LogProblem` when the stored log does not check out (it would be unsafe to append to it).
    public convenience init(connection: Connection, site: String, keys: ControllerKeyRing, logger: Logger = Logger(label: "loa.store.postgres")) async throws {
        let database = try await PostgresDatabase(connection: connection, logger: logger)
        do {
            try await self.init(database: database, owning: true, site: site, keys: keys, logger: logger)
        } catch {
            await database.close()
            throw error
        }
    }

    /// The commune `site` on an open pool: one other communes of this process share
    /// (left open by `close()`), or one opened for it alone (`closingIt`: closed by `close()`).
    /// - Throws: `LogProblem` when the stored log does not check out (it would be unsafe to append to it).
    public convenience init(
        database: PostgresDatabase, closingIt: Bool = false, site: String, keys: ControllerKeyRing,
        logger: Logger = Logger(label: "loa.store.postgres")
    ) async throws {
        try await self.init(database: database, owning: closingIt, site: site, keys: keys, logger: logger)
    }

    private init(database: PostgresDatabase, owning: Bool, site: String, keys: ControllerKeyRing, logger: Logger) async throws {
        self.database = database
        client = database.client
        ownsDatabase = owning
        self.site = site
        self.keys = keys
        self.logger = logger
        log = Mutex((TransparencyLog(), 0))
        try await appending.withLock { try await catchUp(using: client) }
    }

    /// Closes the connections, unless the pool is shared with other communes.
    public func close() async {
        if ownsDatabase { await database.close() }
    }

    // MARK: Media

    public func saveMedia(_ media: MediaReference, at now: Date) async throws {
        try await client.run(
            """
            INSERT INTO media (site, sha256, bytes, content_type, duration_ms, created_at)
            VALUES (\(site), \(media.sha256), \(media.bytes), \(media.contentType), \(media.durationMs), \(now))
            ON CONFLICT DO NOTHING
            """, logger)
    }

    public func saveLevellingGain(_ gainDb: Double, sha256: String) async throws {
        try await client.run("UPDATE media SET gain_db = \(gainDb) WHERE site = \(site) AND sha256 = \(sha256)", logger)
    }

    public func levellingGain(sha256: String) async throws -> Double? {
        try await client.rows("SELECT gain_db FROM media WHERE site = \(site) AND sha256 = \(sha256)", logger).first
            .flatMap { row in try row.value("gain_db") as Double? }
    }

    public func media(sha256: String) async throws -> MediaReference? {
        if let known = knownMedia.withLock({ $0[sha256] }) { return known }
        guard let stored = try await Self.media(sha256: sha256, site: site, client, logger) else { return nil }
        knownMedia.withLock { known in
            if known.count >= Self.knownMediaLimit { known.removeAll() }
            known[sha256] = stored
        }
        return stored
    }

    static func media(sha256: String, site: String, _ db: some PostgresQuerying, _ logger: Logger) async throws -> MediaReference? {
        try await db.rows("SELECT * FROM media WHERE site = \(site) AND sha256 = \(sha256)", logger).first.map { row in
            MediaReference(
                sha256: try row.value("sha256"), bytes: try row.value("bytes"), contentType: try row.value("content_type"),
                durationMs: try row.value("duration_ms"))
        }
    }

    // MARK: Announcements

    public func insert(_ announcement: Announcement) async throws {
        try await writeAppendingToLog { db, log in
            try await db.run(
                """
                INSERT INTO announcement (site, id, title, category, priority, media_sha256, start_at, created_at)
                VALUES (\(self.site), \(announcement.id), \(announcement.title), \(announcement.category.rawValue),
                    \(announcement.priority.rawValue), \(announcement.media.sha256), \(announcement.startAt), \(announcement.createdAt))
                """, self.logger)
            for hamlet in announcement.hamlets {
                try await db.run(
                    "INSERT INTO announcement_hamlet (site, announcement_id, hamlet) VALUES (\(self.site), \(announcement.id), \(hamlet))",
                    self.logger)
            }
            _ = log.append(LogEntryEncoding.encode(announcement: announcement))
        }
    }

    public func announcements(startingIn range: ClosedRange<Date>) async throws -> [Announcement] {
        let rows = try await client.rows(
            """
            SELECT * FROM announcement WHERE site = \(site) AND start_at BETWEEN \(range.lowerBound) AND \(range.upperBound)
            ORDER BY start_at, id
            """, logger)
        var found: [Announcement] = []
        for row in rows { found.append(try await announcement(row)) }
        return found
    }

    public func announcement(id: String) async throws -> Announcement? {
        guard let row = try await client.rows("SELECT * FROM announcement WHERE site = \(site) AND id = \(id)", logger).first
        else { return nil }
        return try await announcement(row)
    }

    private func announcement(_ row: PostgresRandomAccessRow) async throws -> Announcement {
        let id: String = try row.value("id"), sha256: String = try row.value("media_sha256")
        guard let media = try await media(sha256: sha256) else { throw StoreError.missingMedia(announcement: id, sha256: sha256) }
        let hamlets = try await client.rows(
            "SELECT hamlet FROM announcement_hamlet WHERE site = \(site) AND announcement_id = \(id) ORDER BY hamlet", logger
        ).map { try $0.value("hamlet", as: String.self) }
        return Announcement(
            id: id, title: try row.value("title"), category: Category(rawValue: try row.value("category")) ?? .other,
            priority: PriorityClass(rawValue: try row.value("priority")) ?? .normal, media: media, hamlets: hamlets,
            startAt: try row.value("start_at"), createdAt: try row.value("created_at"))
    }

    // MARK: Zone documents

    public func publishNextZoneDocuments<Made: Sendable>(
        zones: [String], at now: Date,
        _ makeDocument: @escaping @Sendable (_ zone: String, _ version: Int, _ previous: Data?) throws
            -> (document: Data, sealed: Data?, made: Made)
    ) async throws -> [String: Result<PublishedZoneDocument<Made>, any Error>] {
        let zones = Array(Set(zones)).sorted()
        guard !zones.isEmpty else { return [:] }
        let (published, written) = try await client.transaction(logger) { db in
            // The rows' locks, taken in zone order, make two controllers publishing a
            // commune's hamlets take turns: versions only grow. A hamlet's first document
            // needs a row to lock: made first.
            var stored = try await self.lockedZoneDocuments(zones, db)
            let missing = zones.filter { stored[$0] == nil }
            if !missing.isEmpty {
                try await db.run(
                    """
                    INSERT INTO zone_document (site, zone, version, issued_at, document)
                    SELECT \(self.site), zone, 0, \(now), ''::bytea FROM unnest(\(missing)::text[]) AS zone
                    ON CONFLICT DO NOTHING
                    """, self.logger)
                stored = try await self.lockedZoneDocuments(zones, db)
            }
            var published: [String: Result<PublishedZoneDocument<Made>, any Error>] = [:]
            var next = ColumnArrays([.text, .int8, .bytea, .bytea])
            var sent: [SentItem] = []
            for zone in zones {
                let (version, previous) = stored[zone] ?? (0, nil)
                do {
                    let (document, sealed, made) = try makeDocument(zone, version + 1, previous)
                    try next.row {
                        try $0.append(zone)
                        try $0.append(version + 1)
                        try $0.append(document)
                        try $0.append(sealed)
                    }
                    if let listed = try? WireCoding.decode(ZoneSchedule.self, from: document) { sent += SentItem.listed(in: listed) }
                    published[zone] = .success(PublishedZoneDocument(version: version + 1, document: document, made: made))
                } catch {
                    published[zone] = .failure(error)
                }
            }
            guard next.count > 0 else { return (published, [SentItem]()) }
            var binds = PostgresBindings()
            binds.append(self.site)
            binds.append(now)
            try await db.run(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE zone_document d SET version = n.version, issued_at = $2, document = n.document, sealed = n.sealed
                        FROM \(next.unnest(binding: &binds)) AS n (zone, version, document, sealed)
                        WHERE d.site = $1 AND d.zone = n.zone
                        """,
                    binds: binds),
                self.logger)
            return (published, try await self.recordSent(sent, db))
        }
        keepSent(written)
        return published
    }

    /// The version and document (nil before the first) of each of `zones` that has a
    /// row, locked for the transaction in zone order.
    private func lockedZoneDocuments(_ zones: [String], _ db: PostgresConnection) async throws -> [String: (Int, Data?)] {
        var stored: [String: (Int, Data?)] = [:]
        for row in try await db.rows(
            """
            SELECT zone, version, document FROM zone_document WHERE site = \(site) AND zone = ANY(\(zones)::text[])
            ORDER BY zone FOR UPDATE
            """, logger)
        {
            let version: Int = try row.value("version")
            stored[try row.value("zone")] = (version, version == 0 ? nil : try row.value("document", as: Data.self))
        }
        return stored
    }

    public func latestZoneDocument(zone: String) async throws -> Data? {
        try await client.rows(
            "SELECT document FROM zone_document WHERE site = \(site) AND zone = \(zone) AND version > 0", logger
        ).first?.value("document")
    }

    public func latestSealedZoneDocument(zone: String) async throws -> Data? {
        try await client.rows(
            "SELECT sealed FROM zone_document WHERE site = \(site) AND zone = \(zone) AND version > 0", logger
        ).first?.value("sealed")
    }

    // MARK: Devices

    public func updateDevice(_ state: DeviceState) async throws {
        try await client.run(
            """
            INSERT INTO device AS d (site, id, zone, status, last_seen, software, volume, cached_media, cache_bytes, last_error, clock_offset_ms,
                clock_uncertainty_ms, speaker_tested_at, speaker_score, speaker_failures)
            VALUES (\(site), \(state.device), \(state.zone), \(state.status.rawValue), \(state.at), \(state.software), \(state.volume),
                \(state.cachedMedia), \(state.cacheBytes), \(state.lastError), \(state.clockOffsetMs), \(state.clockUncertaintyMs),
                \(state.speakerTestedAt), \(state.speakerScore), \(state.speakerFailures))
            ON CONFLICT (site, id) DO UPDATE SET zone = excluded.zone, status = excluded.status, last_seen = excluded.last_seen,
                software = excluded.software, volume = coalesce(excluded.volume, d.volume),
                cached_media = coalesce(excluded.cached_media, d.cached_media), cache_bytes = coalesce(excluded.cache_bytes, d.cache_bytes),
                last_error = CASE WHEN excluded.status = 'online' THEN excluded.last_error ELSE d.last_error END,
                clock_offset_ms = coalesce(excluded.clock_offset_ms, d.clock_offset_ms),
                clock_uncertainty_ms = CASE WHEN excluded.clock_offset_ms IS NULL THEN d.clock_uncertainty_ms
                    ELSE excluded.clock_uncertainty_ms END,
                speaker_tested_at = coalesce(excluded.speaker_tested_at, d.speaker_tested_at),
                speaker_score = CASE WHEN excluded.speaker_tested_at IS NULL THEN d.speaker_score ELSE excluded.speaker_score END,
                speaker_failures = CASE WHEN excluded.speaker_tested_at IS NULL THEN d.speaker_failures ELSE excluded.speaker_failures END
            """, logger)
    }

    public func devices() async throws -> [DeviceState] {
        try await client.rows("SELECT * FROM device WHERE site = \(site) ORDER BY id", logger).map { row in
            DeviceState(
                device: try row.value("id"), zone: try row.value("zone"),
                status: DeviceState.Status(rawValue: try row.value("status")) ?? .offline, at: try row.value("last_seen"),
                software: try row.value("software"), volume: try row.value("volume"), cachedMedia: try row.value("cached_media"),
                cacheBytes: try row.value("cache_bytes"), lastError: try row.value("last_error"),
                clockOffsetMs: try row.value("clock_offset_ms"), clockUncertaintyMs: try row.value("clock_uncertainty_ms"),
                speakerTestedAt: try row.value("speaker_tested_at"), speakerScore: try row.value("speaker_score"),
                speakerFailures: try row.value("speaker_failures"))
        }
    }
}
