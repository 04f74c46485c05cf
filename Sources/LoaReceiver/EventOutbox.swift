#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaSQLite
public import LoaProtocol
import Synchronization

/// The receiver's durable outbox: every event is written here (SQLite, synchronous)
/// before anything else happens with it, and stays until the controller's receipt
/// says the event is in its log. Survives crashes and power loss; resending is
/// harmless because the controller stores each event id once.
public final class EventOutbox: Sendable {
    private let database: Mutex<SQLiteConnection>

    /// Opens (or creates) the outbox database at `path`. An outbox written by an earlier
    /// receiver (through GRDB, its times as text) is kept: its events are sent again.
    public init(path: String) throws {
        let connection = try SQLiteConnection(path: path)
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS pendingEvent (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                payload BLOB NOT NULL,
                lastSentAt DATETIME);
            UPDATE pendingEvent SET lastSentAt = NULL WHERE typeof(lastSentAt) = 'text';
            """)
        database = Mutex(connection)
    }

    /// Stores an event durably. Returns once it is on disk.
    public func add(_ event: DeviceEvent) throws {
        let payload = try WireCoding.encode(event)
        try database.withLock { database in
            _ = try database.rows("INSERT OR IGNORE INTO pendingEvent (id, payload) VALUES (?, ?)", [.text(event.id), .blob(Array(payload))])
        }
    }

    /// Events to send now, oldest first: never sent, or last sent before `resendBefore`.
    /// Marks them as sent at `now`.
    public func takeDue(now: Date, resendBefore: Date, limit: Int = 100) throws -> [(id: String, payload: Data)] {
        try database.withLock { database in
            try database.transaction {
                let rows = try database.rows(
                    "SELECT id, payload FROM pendingEvent WHERE lastSentAt IS NULL OR lastSentAt < ? ORDER BY sequence LIMIT ?",
                    [.real(resendBefore.timeIntervalSince1970), .integer(Int64(limit))])
                let due = rows.compactMap { row -> (id: String, payload: Data)? in
                    guard case .text(let id) = row[0], case .blob(let payload) = row[1] else { return nil }
                    return (id, Data(payload))
                }
                for event in due {
                    try database.rows(
                        "UPDATE pendingEvent SET lastSentAt = ? WHERE id = ?", [.real(now.timeIntervalSince1970), .text(event.id)])
                }
                return due
            }
        }
    }

    /// Forgets events the controller confirmed.
    public func confirm(_ ids: [String]) throws {
        try database.withLock { database in
            try database.transaction {
                for id in ids { try database.rows("DELETE FROM pendingEvent WHERE id = ?", [.text(id)]) }
            }
        }
    }

    /// How many events wait for a receipt.
    public func pendingCount() throws -> Int {
        try database.withLock { database in
            guard case .integer(let count) = try database.rows("SELECT COUNT(*) FROM pendingEvent").first?.first else { return 0 }
            return Int(count)
        }
    }
}
