public import Foundation
import GRDB
public import LoaProtocol

/// The receiver's durable outbox: every event is written here (SQLite, synchronous)
/// before anything else happens with it, and stays until the controller's receipt
/// says the event is in its log. Survives crashes and power loss; resending is
/// harmless because the controller stores each event id once.
public final class EventOutbox: Sendable {
    private let database: DatabaseQueue

    /// Opens (or creates) the outbox database at `path`.
    public init(path: String) throws {
        database = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: pending events") { db in
            try db.create(table: "pendingEvent") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("id", .text).notNull().unique()
                t.column("payload", .blob).notNull()
                t.column("lastSentAt", .datetime)
            }
        }
        try migrator.migrate(database)
    }

    /// Stores an event durably. Returns once it is on disk.
    public func add(_ event: DeviceEvent) throws {
        let payload = try WireCoding.encode(event)
        try database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO pendingEvent (id, payload) VALUES (?, ?)", arguments: [event.id, payload])
        }
    }

    /// Events to send now, oldest first: never sent, or last sent before `resendBefore`.
    /// Marks them as sent at `now`.
    public func takeDue(now: Date, resendBefore: Date, limit: Int = 100) throws -> [(id: String, payload: Data)] {
        try database.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, payload FROM pendingEvent
                    WHERE lastSentAt IS NULL OR lastSentAt < ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [resendBefore, limit])
            let due = rows.map { (id: $0["id"] as String, payload: $0["payload"] as Data) }
            for event in due {
                try db.execute(sql: "UPDATE pendingEvent SET lastSentAt = ? WHERE id = ?", arguments: [now, event.id])
            }
            return due
        }
    }

    /// Forgets events the controller confirmed.
    public func confirm(_ ids: [String]) throws {
        try database.write { db in
            for id in ids {
                try db.execute(sql: "DELETE FROM pendingEvent WHERE id = ?", arguments: [id])
            }
        }
    }

    /// How many events wait for a receipt.
    public func pendingCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pendingEvent") ?? 0 }
    }
}
