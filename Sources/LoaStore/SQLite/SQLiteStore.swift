public import Foundation
import GRDB
public import LoaDomain
public import LoaProtocol
import LoaTransparency
import Synchronization

/// The controller's SQLite database (WAL): media, announcements, the zone
/// documents' versions, devices, the events receivers report and the
/// transparency log they are appended to.
///
/// Every write is one transaction; what was stored before a failed write stays as it was.
public final class SQLiteStore: ControllerStore {
    let database: DatabasePool
    /// The log's tree and chain, rebuilt from its rows at open, and the size committed
    /// to disk. The lock is held for in-memory steps only (an append, a root, a proof:
    /// microseconds), never across a disk write or a signature.
    let log: Mutex<LogState>
    /// Sign the head checkpoint written with every append, so that every stored
    /// entry is covered by a signature and a forged row appended later stands out;
    /// the key in force at the moment signs (a rotation switches it).
    let keys: ControllerKeyRing
    /// The key that signs checkpoints now.
    var signingKey: SigningKey { keys.active }

    /// Opens (and creates or migrates) the database at `path`, signing with one key.
    /// - Parameters:
    ///   - signingKey: the controller's key; its name is the log's origin.
    /// - Throws: `LogProblem` when the stored log does not check out (it would be
    ///   unsafe to append to it); `loa log verify` says more.
    public convenience init(path: String, signingKey: SigningKey) throws {
        try self.init(path: path, keys: ControllerKeyRing(current: signingKey))
    }

    /// Opens (and creates or migrates) the database at `path`, signing with the key in force in `keys`.
    /// - Throws: `LogProblem` when the stored log does not check out; `loa log verify` says more.
    public init(path: String, keys: ControllerKeyRing) throws {
        self.keys = keys
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        database = try DatabasePool(path: path, configuration: configuration)
        // A receipt tells the receiver it may forget an event: the commit must be
        // on disk first. GRDB sets WAL with synchronous=NORMAL (a commit can be
        // lost on power failure); FULL syncs the WAL at every commit. The pool has
        // one writer connection, so this holds for every write.
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try Self.migrator.migrate(database)
        let stored = try database.read(Self.loadLog)
        log = Mutex(LogState(log: stored, committedSize: stored.size))
    }

    // MARK: Media

    /// Records audio the media store holds; storing the same hash twice is harmless.
    public func saveMedia(_ media: MediaReference, at now: Date) async throws {
        try await database.write { db in
            try MediaRow(media, createdAt: now).insert(db, onConflict: .ignore)
        }
    }

    /// The audio with this hash, if stored.
    public func media(sha256: String) async throws -> MediaReference? {
        try await database.read { db in try MediaRow.fetchOne(db, key: sha256)?.reference }
    }

    public func saveLevellingGain(_ gainDb: Double, sha256: String) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE media SET gainDb = ? WHERE sha256 = ?", arguments: [gainDb, sha256])
        }
    }

    public func levellingGain(sha256: String) async throws -> Double? {
        try await database.read { db in
            try Double.fetchOne(db, sql: "SELECT gainDb FROM media WHERE sha256 = ?", arguments: [sha256])
        }
    }

    // MARK: Announcements

    /// Stores an announcement and its target hamlets and appends its entry to the
    /// transparency log (`LogEntryEncoding.fields(announcement:)`), in one
    /// transaction that also re-signs the head checkpoint.
    public func insert(_ announcement: Announcement) async throws {
        try await writeAppendingToLog { db, append in
            try AnnouncementRow(announcement).insert(db)
            for hamlet in announcement.hamlets {
                try db.execute(
                    sql: "INSERT INTO announcementHamlet (announcementId, hamlet) VALUES (?, ?)",
                    arguments: [announcement.id, hamlet])
            }
            _ = try append(LogEntryEncoding.encode(announcement: announcement))
        }
    }

    /// Announcements for `hamlet` whose start lies in `range`, with their media.
    public func announcements(startingIn range: ClosedRange<Date>) async throws -> [Announcement] {
        try await database.read { db in
            let rows = try AnnouncementRow.fetchAll(
                db,
                sql: """
                    SELECT * FROM announcement WHERE startAt BETWEEN ? AND ?
                    ORDER BY startAt, id
                    """,
                arguments: [range.lowerBound, range.upperBound])
            return try rows.map { row in try row.announcement(db) }
        }
    }

    /// The announcement with `id`, with its hamlets and media; nil when there is none.
    public func announcement(id: String) async throws -> Announcement? {
        try await database.read { db in try AnnouncementRow.fetchOne(db, key: id)?.announcement(db) }
    }

    // MARK: Zone documents

    /// Builds the next document of each of `zones` with `makeDocument(zone, version,
    /// previous)` and stores it in place of the previous one, in one transaction, so
    /// versions only ever grow, across restarts too. `previous` is the document published
    /// before, if any. What each document lists is recorded as sent to its zone
    /// (`sentItems(zone:items:)`). A zone whose document cannot be made keeps its previous one.
    public func publishNextZoneDocuments<Made: Sendable>(
        zones: [String], at now: Date,
        _ makeDocument: @escaping @Sendable (_ zone: String, _ version: Int, _ previous: Data?) throws
            -> (document: Data, sealed: Data?, made: Made)
    ) async throws -> [String: Result<PublishedZoneDocument<Made>, any Error>] {
        try await database.write { db in
            var published: [String: Result<PublishedZoneDocument<Made>, any Error>] = [:]
            for zone in Set(zones).sorted() {
                let row = try Row.fetchOne(db, sql: "SELECT version, document FROM zoneDocument WHERE zone = ?", arguments: [zone])
                let version = (row?["version"] as Int? ?? 0) + 1
                let document: Data, sealed: Data?, made: Made
                do {
                    (document, sealed, made) = try makeDocument(zone, version, row?["document"] as Data?)
                } catch {
                    published[zone] = .failure(error)
                    continue
                }
                try db.execute(
                    sql: """
                        INSERT INTO zoneDocument (zone, version, issuedAt, document, sealed) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(zone) DO UPDATE SET version = excluded.version, issuedAt = excluded.issuedAt,
                            document = excluded.document, sealed = excluded.sealed
                        """,
                    arguments: [zone, version, now, document, sealed])
                if let listed = try? WireCoding.decode(ZoneSchedule.self, from: document) {
                    try Self.recordSent(SentItem.listed(in: listed), db)
                }
                published[zone] = .success(PublishedZoneDocument(version: version, document: document, made: made))
            }
            return published
        }
    }

    /// The document last published for `zone` (its JSON), if any.
    public func latestZoneDocument(zone: String) async throws -> Data? {
        try await database.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM zoneDocument WHERE zone = ?", arguments: [zone])
        }
    }

    public func latestSealedZoneDocument(zone: String) async throws -> Data? {
        try await database.read { db in
            try Data.fetchOne(db, sql: "SELECT sealed FROM zoneDocument WHERE zone = ?", arguments: [zone])
        }
    }

    // MARK: Devices

    /// Records what a device's retained state message says.
    public func updateDevice(_ state: DeviceState) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO device (id, zone, status, lastSeen, software, volume, cachedMedia, cacheBytes, lastError, clockOffsetMs,
                        clockUncertaintyMs, speakerTestedAt, speakerScore, speakerFailures)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET zone = excluded.zone, status = excluded.status,
                        lastSeen = excluded.lastSeen, software = excluded.software,
                        volume = coalesce(excluded.volume, volume), cachedMedia = coalesce(excluded.cachedMedia, cachedMedia),
                        cacheBytes = coalesce(excluded.cacheBytes, cacheBytes),
                        lastError = CASE WHEN excluded.status = 'online' THEN excluded.lastError ELSE lastError END,
                        clockOffsetMs = coalesce(excluded.clockOffsetMs, clockOffsetMs),
                        clockUncertaintyMs = CASE WHEN excluded.clockOffsetMs IS NULL THEN clockUncertaintyMs
                            ELSE excluded.clockUncertaintyMs END,
                        speakerTestedAt = coalesce(excluded.speakerTestedAt, speakerTestedAt),
                        speakerScore = CASE WHEN excluded.speakerTestedAt IS NULL THEN speakerScore ELSE excluded.speakerScore END,
                        speakerFailures = CASE WHEN excluded.speakerTestedAt IS NULL THEN speakerFailures ELSE excluded.speakerFailures END
                    """,
                arguments: [
                    state.device, state.zone, state.status.rawValue, state.at, state.software, state.volume, state.cachedMedia,
                    state.cacheBytes, state.lastError, state.clockOffsetMs, state.clockUncertaintyMs, state.speakerTestedAt,
                    state.speakerScore, state.speakerFailures,
                ])
        }
    }

    /// Every device that has reported, by id.
    public func devices() async throws -> [DeviceState] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device ORDER BY id").map { row in
                DeviceState(
                    device: row["id"], zone: row["zone"],
                    status: DeviceState.Status(rawValue: row["status"]) ?? .offline, at: row["lastSeen"],
                    software: row["software"], volume: row["volume"], cachedMedia: row["cachedMedia"],
                    cacheBytes: row["cacheBytes"], lastError: row["lastError"], clockOffsetMs: row["clockOffsetMs"],
                    clockUncertaintyMs: row["clockUncertaintyMs"], speakerTestedAt: row["speakerTestedAt"],
                    speakerScore: row["speakerScore"], speakerFailures: row["speakerFailures"])
            }
        }
    }

    // MARK: Events


    /// Stores a batch of events, each with the instant it was received, and
    /// appends the new ones to the transparency log in ONE transaction with one
    /// head-checkpoint signature. Events already stored (same device and id, also
    /// earlier in the same batch) change nothing: each device has its own ids. If anything fails, nothing of the
    /// batch is stored.
    /// - Returns: for each event, in order, true when it was new.
    @discardableResult
    public func record(_ events: [(DeviceEvent, Date)]) async throws -> [Bool] {
        guard !events.isEmpty else { return [] }
        return try await writeAppendingToLog { db, append in
            try events.map { event, receivedAt in
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO event
                            (id, device, site, zone, item, kind, at, measuredStartAt, startOffsetMs, playedMs, reason, receivedAt,
                             clockOffsetMs, clockUncertaintyMs, soundHeard, soundScore)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.id, event.device, event.site, event.zone, event.item, event.kind.rawValue, event.at,
                        event.measuredStartAt, event.startOffsetMs, event.playedMs, event.reason, receivedAt,
                        event.clockOffsetMs, event.clockUncertaintyMs, event.soundHeard, event.soundScore,
                    ])
                guard db.changesCount > 0 else { return false }
                let record = try append(LogEntryEncoding.encode(event: event, receivedAt: receivedAt))
                try db.execute(
                    sql: "UPDATE event SET logPosition = ? WHERE device = ? AND id = ?",
                    arguments: [Int64(record.index), event.device, event.id])
                return true
            }
        }
    }

    /// Runs `body` in one write transaction, giving it `append`, which adds an
    /// entry to the log and stores its row. When anything was appended, the head
    /// checkpoint is re-signed once, in the same transaction, so every stored
    /// entry is covered by a signature.
    ///
    /// The database's one writer connection runs such transactions one at a time, so
    /// the in-memory tree grows by one transaction at a time; if the transaction rolls
    /// back (in `body` or at its commit), the tree is rebuilt from what is stored before
    /// the writer is let go. Readers see the tree at ``LogState/committedSize``, which
    /// moves on after the commit, so they never see an entry that may yet be rolled back.
    func writeAppendingToLog<T: Sendable>(
        _ body: @escaping @Sendable (Database, _ append: (Data) throws -> LogRecord) throws -> T
    ) async throws -> T {
        let (result, size): (T, UInt64) = try await database.writeWithoutTransaction { db in
            let sizeBefore = log.withLock { $0.log.size }
            var result: T?
            do {
                try db.inTransaction {
                    result = try body(db) { entry in
                        let record = log.withLock { $0.log.append(entry) }
                        try Self.insert(record, db)
                        return record
                    }
                    let head = log.withLock { $0.log.size == sizeBefore ? nil : $0.log.checkpoint(origin: signingKey.name) }
                    if let head {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO headCheckpoint (id, size, note) VALUES (1, ?, ?)",
                            arguments: [Int64(head.size), try head.signed(with: signingKey)])
                    }
                    return .commit
                }
            } catch {
                let stored = try Self.loadLog(db)
                log.withLock { $0.log = stored }
                throw error
            }
            guard let result else { preconditionFailure("a committed transaction ran its body") }
            return (result, log.withLock { $0.log.size })
        }
        log.withLock { $0.committedSize = max($0.committedSize, size) }
        return result
    }

}

/// The transparency log in memory and how much of it is on disk.
struct LogState: Sendable {
    /// Every entry appended, including those of a transaction not yet committed.
    var log: TransparencyLog
    /// The entries committed: the size readers (checkpoints, proofs, metrics) may use.
    var committedSize: UInt64
}

// MARK: Rows

private struct MediaRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "media"
    var sha256: String
    var bytes: Int
    var contentType: String
    var durationMs: Int
    var createdAt: Date

    init(_ media: MediaReference, createdAt: Date) {
        sha256 = media.sha256
        bytes = media.bytes
        contentType = media.contentType
        durationMs = media.durationMs
        self.createdAt = createdAt
    }

    var reference: MediaReference {
        MediaReference(sha256: sha256, bytes: bytes, contentType: contentType, durationMs: durationMs)
    }
}

private struct AnnouncementRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "announcement"
    var id: String
    var title: String
    var category: String
    var priority: String
    var mediaSha256: String
    var startAt: Date
    var createdAt: Date

    init(_ announcement: Announcement) {
        id = announcement.id
        title = announcement.title
        category = announcement.category.rawValue
        priority = announcement.priority.rawValue
        mediaSha256 = announcement.media.sha256
        startAt = announcement.startAt
        createdAt = announcement.createdAt
    }

    func announcement(_ db: Database) throws -> Announcement {
        guard let media = try MediaRow.fetchOne(db, key: mediaSha256)?.reference else {
            throw StoreError.missingMedia(announcement: id, sha256: mediaSha256)
        }
        let hamlets = try String.fetchAll(
            db, sql: "SELECT hamlet FROM announcementHamlet WHERE announcementId = ? ORDER BY hamlet", arguments: [id])
        return Announcement(
            id: id, title: title, category: Category(rawValue: category) ?? .other,
            priority: PriorityClass(rawValue: priority) ?? .normal, media: media, hamlets: hamlets,
            startAt: startAt, createdAt: createdAt)
    }
}

/// A store that does not hold what it should.
public enum StoreError: Error, CustomStringConvertible {
    case missingMedia(announcement: String, sha256: String)

    public var description: String {
        switch self {
        case .missingMedia(let announcement, let sha256):
            "announcement \(announcement) names media \(sha256), which the store does not hold"
        }
    }
}
