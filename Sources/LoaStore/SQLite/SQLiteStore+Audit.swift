import Foundation
import GRDB

extension SQLiteStore {
    /// Appends `entry` to the audit trail (its `id` is ignored).
    public func recordAudit(_ entry: ConsoleAuditEntry) async throws {
        try await database.write { db in try Self.insertAudit(entry, db) }
    }

    /// The latest `limit` entries of the audit trail, newest first.
    public func auditTrail(limit: Int) async throws -> [ConsoleAuditEntry] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM consoleAudit ORDER BY id DESC LIMIT ?", arguments: [max(limit, 0)])
                .compactMap { row in
                    guard let action = ConsoleAuditEntry.Action(rawValue: row["action"]) else { return nil }
                    return ConsoleAuditEntry(
                        id: row["id"], at: row["at"], action: action, actor: row["actor"], subject: row["subject"],
                        detail: row["detail"], clientAddress: row["clientAddress"])
                }
        }
    }

    static func insertAudit(_ entry: ConsoleAuditEntry, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO consoleAudit (at, action, actor, subject, detail, clientAddress) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [entry.at, entry.action.rawValue, entry.actor, entry.subject, entry.detail, entry.clientAddress])
    }
}
