import Foundation
import GRDB
import LoaProtocol
public import LoaTransparency

extension SQLiteStore {
    /// The log entries that match `query`, in log order, read from their stored bytes.
    public func logEntries(matching query: LogQuery) async throws -> [LoggedEntry] {
        try await database.read { db in try Self.logEntries(matching: query, db) }
    }

    /// Walks every stored entry in order, resolving each event's announcement from
    /// the announcement entries before it (the controller logs an announcement
    /// before any receiver can hear of it), and keeps those that match.
    static func logEntries(matching query: LogQuery, _ db: Database) throws -> [LoggedEntry] {
        var reader = LoggedEntryReader()
        var matching: [LoggedEntry] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT position, entry FROM logEntry ORDER BY position")
        while let row = try rows.next() {
            let entry = reader.entry(index: UInt64(row["position"] as Int64), bytes: row["entry"])
            if query.matches(entry) { matching.append(entry) }
        }
        return matching
    }
}

extension LogAudit {
    /// The log entries that match `query` in the database at `path`, opened
    /// read-only (a running controller's file, or a copy), as `loa log list` and
    /// `loa report` read them.
    public static func entries(databaseAt path: String, matching query: LogQuery = LogQuery()) throws -> [LoggedEntry] {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        return try database.read { db in try SQLiteStore.logEntries(matching: query, db) }
    }
}

extension LogAudit {
    /// The head checkpoint (signed note) stored in the database at `path`, if any.
    public static func headCheckpoint(databaseAt path: String) throws -> String? {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        return try database.read { db in try String.fetchOne(db, sql: "SELECT note FROM headCheckpoint") }
    }
}
