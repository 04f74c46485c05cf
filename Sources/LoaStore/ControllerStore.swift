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
public final class ControllerStore: Sendable {
    let database: DatabasePool
    /// The log's tree and chain, rebuilt from its rows at open; appends hold the lock
    /// across the database write so the two never disagree.
    let log: Mutex<TransparencyLog>
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
        log = Mutex(try database.read(Self.loadLog))
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: media, announcements, zones, devices, events") { db in
            try db.create(table: "media") { t in
                t.primaryKey("sha256", .text)
                t.column("bytes", .integer).notNull()
                t.column("contentType", .text).notNull()
                t.column("durationMs", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "announcement") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("category", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("mediaSha256", .text).notNull().references("media")
                t.column("startAt", .datetime).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "announcementHamlet") { t in
                t.column("announcementId", .text).notNull().references("announcement", onDelete: .cascade)
                t.column("hamlet", .text).notNull()
                t.primaryKey(["announcementId", "hamlet"])
            }
            try db.create(table: "zoneDocument") { t in
                t.primaryKey("zone", .text)
                t.column("version", .integer).notNull()
                t.column("issuedAt", .datetime).notNull()
                t.column("document", .blob).notNull()
            }
            try db.create(table: "device") { t in
                t.primaryKey("id", .text)
                t.column("zone", .text).notNull()
                t.column("status", .text).notNull()
                t.column("lastSeen", .datetime).notNull()
                t.column("software", .text)
            }
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("id", .text).notNull().unique()
                t.column("device", .text).notNull().indexed()
                t.column("site", .text).notNull()
                t.column("zone", .text).notNull()
                t.column("item", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("measuredStartAt", .datetime)
                t.column("startOffsetMs", .double)
                t.column("playedMs", .integer)
                t.column("reason", .text)
                t.column("receivedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2: transparency log and checkpoints") { db in
            try db.create(table: "logEntry") { t in
                t.primaryKey("position", .integer)
                t.column("entry", .blob).notNull()
                t.column("leafHash", .blob).notNull()
                t.column("chainHash", .blob).notNull()
            }
            try db.create(table: "checkpoint") { t in
                t.primaryKey("size", .integer)
                t.column("note", .text).notNull()
                t.column("signedAt", .datetime).notNull()
            }
            // The checkpoint of the whole log, re-signed in the transaction of every append.
            try db.create(table: "headCheckpoint") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("size", .integer).notNull()
                t.column("note", .text).notNull()
            }
            try db.alter(table: "event") { t in t.add(column: "logPosition", .integer) }
        }
        migrator.registerMigration("v3: users, schedule versions, approvals") { db in
            // Console and API users; the token itself is never stored, only its SHA-256.
            try db.create(table: "consoleUser") { t in
                t.primaryKey("name", .text)
                t.column("displayName", .text).notNull()
                t.column("roles", .text).notNull()
                t.column("tokenSha256", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("disabledAt", .datetime)
            }
            // Every applied schedule; the highest version is the active one.
            try db.create(table: "scheduleVersion") { t in
                t.primaryKey("version", .integer)
                t.column("site", .text).notNull()
                t.column("schedule", .blob).notNull()
                t.column("digest", .text).notNull()
                t.column("sources", .blob).notNull()
                t.column("appliedAt", .datetime).notNull()
                t.column("appliedBy", .text).notNull()
                t.column("logPosition", .integer)
            }
            // Approvals hold for a programme's content (id and digest), in whichever version it appears.
            try db.create(table: "programmeApproval") { t in
                t.column("programme", .text).notNull()
                t.column("digest", .text).notNull()
                t.column("approver", .text).notNull()
                t.column("approvedAt", .datetime).notNull()
                t.column("version", .integer).notNull()
                t.column("logPosition", .integer)
                t.primaryKey(["programme", "digest", "approver"])
            }
        }
        migrator.registerMigration("v4: passwords, console sessions, console audit") { db in
            // `PasswordHash` text; null for a user who signs in with a token only.
            try db.alter(table: "consoleUser") { t in t.add(column: "passwordHash", .text) }
            // Login sessions, kept by the SHA-256 of their id (the cookie's value is never stored).
            try db.create(table: "consoleSession") { t in
                t.primaryKey("idSha256", .text)
                t.column("user", .text).notNull().indexed().references("consoleUser", onDelete: .cascade)
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            // Who did what in the console: users, passwords, logins. Not the transparency log (personal data).
            try db.create(table: "consoleAudit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("action", .text).notNull()
                t.column("actor", .text)
                t.column("subject", .text)
                t.column("detail", .text)
                t.column("clientAddress", .text)
            }
        }
        migrator.registerMigration("v5: device health (volume, cache, last error, clock offset)") { db in
            try db.alter(table: "device") { t in
                t.add(column: "volume", .integer)
                t.add(column: "cachedMedia", .integer)
                t.add(column: "cacheBytes", .integer)
                t.add(column: "lastError", .text)
                t.add(column: "clockOffsetMs", .double)
            }
        }
        migrator.registerMigration("v6: an event id is unique per device, not across devices") { db in
            // A device chose its ids, and the controller's own (`missed-by-controller:{item}`)
            // are predictable: with one id space a device could send one first and so
            // erase the controller's record. Each device (the controller too) has its own.
            try db.create(table: "eventByDevice") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("id", .text).notNull()
                t.column("device", .text).notNull().indexed()
                t.column("site", .text).notNull()
                t.column("zone", .text).notNull()
                t.column("item", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("measuredStartAt", .datetime)
                t.column("startOffsetMs", .double)
                t.column("playedMs", .integer)
                t.column("reason", .text)
                t.column("receivedAt", .datetime).notNull()
                t.column("logPosition", .integer)
                t.uniqueKey(["device", "id"])
            }
            try db.execute(sql: "INSERT INTO eventByDevice SELECT sequence, id, device, site, zone, item, kind, at, measuredStartAt, startOffsetMs, playedMs, reason, receivedAt, logPosition FROM event")
            try db.drop(table: "event")
            try db.rename(table: "eventByDevice", to: "event")
        }
        return migrator
    }

    // MARK: Media

    /// Records audio the media store holds; storing the same hash twice is harmless.
    public func saveMedia(_ media: MediaReference, at now: Date) throws {
        try database.write { db in
            try MediaRow(media, createdAt: now).insert(db, onConflict: .ignore)
        }
    }

    /// The audio with this hash, if stored.
    public func media(sha256: String) throws -> MediaReference? {
        try database.read { db in try MediaRow.fetchOne(db, key: sha256)?.reference }
    }

    // MARK: Announcements

    /// Stores an announcement and its target hamlets and appends its entry to the
    /// transparency log (`LogEntryEncoding.fields(announcement:)`), in one
    /// transaction that also re-signs the head checkpoint.
    public func insert(_ announcement: Announcement) throws {
        try writeAppendingToLog { db, append in
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
    public func announcements(forHamlet hamlet: String, startingIn range: ClosedRange<Date>) throws -> [Announcement] {
        try database.read { db in
            let rows = try AnnouncementRow.fetchAll(
                db,
                sql: """
                    SELECT announcement.* FROM announcement
                    JOIN announcementHamlet ON announcementHamlet.announcementId = announcement.id
                    WHERE announcementHamlet.hamlet = ? AND announcement.startAt BETWEEN ? AND ?
                    ORDER BY announcement.startAt, announcement.id
                    """,
                arguments: [hamlet, range.lowerBound, range.upperBound])
            return try rows.map { row in try row.announcement(db) }
        }
    }

    /// The announcement with `id`, with its hamlets and media; nil when there is none.
    public func announcement(id: String) throws -> Announcement? {
        try database.read { db in try AnnouncementRow.fetchOne(db, key: id)?.announcement(db) }
    }

    // MARK: Zone documents

    /// Builds the next document of `zone` with `makeDocument(version, previous)` and
    /// stores it in place of the previous one, so versions only ever grow, across
    /// restarts too. `previous` is the document published before, if any.
    public func publishNextZoneDocument(
        zone: String, at now: Date, _ makeDocument: (_ version: Int, _ previous: Data?) throws -> Data
    ) throws -> (version: Int, document: Data) {
        try database.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT version, document FROM zoneDocument WHERE zone = ?", arguments: [zone])
            let version = (row?["version"] as Int? ?? 0) + 1
            let document = try makeDocument(version, row?["document"] as Data?)
            try db.execute(
                sql: """
                    INSERT INTO zoneDocument (zone, version, issuedAt, document) VALUES (?, ?, ?, ?)
                    ON CONFLICT(zone) DO UPDATE SET version = excluded.version, issuedAt = excluded.issuedAt, document = excluded.document
                    """,
                arguments: [zone, version, now, document])
            return (version, document)
        }
    }

    /// The document last published for `zone` (its JSON), if any.
    public func latestZoneDocument(zone: String) throws -> Data? {
        try database.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM zoneDocument WHERE zone = ?", arguments: [zone])
        }
    }

    // MARK: Devices

    /// Records what a device's retained state message says.
    public func updateDevice(_ state: DeviceState) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO device (id, zone, status, lastSeen, software, volume, cachedMedia, cacheBytes, lastError, clockOffsetMs)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET zone = excluded.zone, status = excluded.status,
                        lastSeen = excluded.lastSeen, software = excluded.software,
                        volume = coalesce(excluded.volume, volume), cachedMedia = coalesce(excluded.cachedMedia, cachedMedia),
                        cacheBytes = coalesce(excluded.cacheBytes, cacheBytes),
                        lastError = CASE WHEN excluded.status = 'online' THEN excluded.lastError ELSE lastError END,
                        clockOffsetMs = coalesce(excluded.clockOffsetMs, clockOffsetMs)
                    """,
                arguments: [
                    state.device, state.zone, state.status.rawValue, state.at, state.software, state.volume, state.cachedMedia,
                    state.cacheBytes, state.lastError, state.clockOffsetMs,
                ])
        }
    }

    /// Every device that has reported, by id.
    public func devices() throws -> [DeviceState] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device ORDER BY id").map { row in
                DeviceState(
                    device: row["id"], zone: row["zone"],
                    status: DeviceState.Status(rawValue: row["status"]) ?? .offline, at: row["lastSeen"],
                    software: row["software"], volume: row["volume"], cachedMedia: row["cachedMedia"],
                    cacheBytes: row["cacheBytes"], lastError: row["lastError"], clockOffsetMs: row["clockOffsetMs"])
            }
        }
    }

    // MARK: Events

    /// Stores an event once and appends it to the transparency log, in one
    /// transaction: a resent event (same device and id) changes nothing.
    /// - Returns: true when the event was new.
    @discardableResult
    public func record(_ event: DeviceEvent, receivedAt: Date) throws -> Bool {
        try record([(event, receivedAt)])[0]
    }

    /// Stores a batch of events, each with the instant it was received, and
    /// appends the new ones to the transparency log in ONE transaction with one
    /// head-checkpoint signature. Events already stored (same device and id, also
    /// earlier in the same batch) change nothing: each device has its own ids. If anything fails, nothing of the
    /// batch is stored.
    /// - Returns: for each event, in order, true when it was new.
    @discardableResult
    public func record(_ events: [(DeviceEvent, Date)]) throws -> [Bool] {
        guard !events.isEmpty else { return [] }
        return try writeAppendingToLog { db, append in
            try events.map { event, receivedAt in
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO event
                            (id, device, site, zone, item, kind, at, measuredStartAt, startOffsetMs, playedMs, reason, receivedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.id, event.device, event.site, event.zone, event.item, event.kind.rawValue, event.at,
                        event.measuredStartAt, event.startOffsetMs, event.playedMs, event.reason, receivedAt,
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
    /// entry is covered by a signature. The log's lock is held throughout; if the
    /// transaction rolls back, the in-memory tree is rebuilt from what is stored.
    func writeAppendingToLog<T: Sendable>(
        _ body: (Database, _ append: (Data) throws -> LogRecord) throws -> T
    ) throws -> T {
        try log.withLock { log in
            let sizeBefore = log.size
            do {
                return try database.write { db in
                    let result = try body(db) { entry in
                        let record = log.append(entry)
                        try Self.insert(record, db)
                        return record
                    }
                    if log.size != sizeBefore {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO headCheckpoint (id, size, note) VALUES (1, ?, ?)",
                            arguments: [Int64(log.size), try log.checkpoint(origin: signingKey.name).signed(with: signingKey)])
                    }
                    return result
                }
            } catch {
                log = try database.read(Self.loadLog)
                throw error
            }
        }
    }

    /// Stored events in arrival order, optionally only those of one item or device.
    public func events(item: String? = nil, device: String? = nil) throws -> [DeviceEvent] {
        try events(matching: EventQuery(item: item, device: device))
    }
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
