import GRDB

extension SQLiteStore {
    /// How the database commits, as SQLite reports it for the writer connection:
    /// the journal mode (`wal`) and `PRAGMA synchronous` (2 = FULL: every commit
    /// is synced to disk before it returns).
    public func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await database.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }
}
