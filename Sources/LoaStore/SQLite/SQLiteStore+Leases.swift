public import Foundation
import GRDB

extension SQLiteStore {
    public func acquireLease(job: String, holder: String, for duration: TimeInterval, at now: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO jobLease (job, holder, expiresAt) VALUES (?, ?, ?)
                    ON CONFLICT(job) DO UPDATE SET holder = excluded.holder, expiresAt = excluded.expiresAt
                    WHERE jobLease.holder = excluded.holder OR jobLease.expiresAt <= ?
                    """,
                arguments: [job, holder, now.addingTimeInterval(duration), now])
            return try String.fetchOne(db, sql: "SELECT holder FROM jobLease WHERE job = ?", arguments: [job]) == holder
        }
    }

    public func releaseLease(job: String, holder: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM jobLease WHERE job = ? AND holder = ?", arguments: [job, holder])
        }
    }
}
