import GRDB
public import LoaDomain

extension SQLiteStore {
    /// Every schedule version ever applied, oldest first: what the reports read
    /// disclosure metadata (Art. 11 item, decision date) and the site's holidays from.
    public func scheduleVersions() async throws -> [StoredSchedule] {
        try await database.read { db in try Self.allScheduleVersions(db) }
    }

    static func allScheduleVersions(_ db: Database) throws -> [StoredSchedule] {
        try Row.fetchAll(db, sql: "SELECT * FROM scheduleVersion ORDER BY version").map(storedSchedule)
    }
}

extension LogAudit {
    /// Every schedule version stored in the database at `path`, oldest first, read
    /// read-only (a supervisor's copy will do), as `loa report` needs them.
    public static func scheduleVersions(databaseAt path: String) throws -> [BroadcastSchedule] {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        return try database.read { db in try SQLiteStore.allScheduleVersions(db).map(\.schedule) }
    }
}
