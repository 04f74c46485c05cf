public import Foundation
import GRDB

extension SQLiteStore {
    /// Starts a session for `user` (who must exist) and records the login in the audit trail.
    /// - Returns: the session and its id, to be sent once as the cookie's value.
    public func startSession(for user: ConsoleUser, clientAddress: String?, at now: Date) async throws -> (id: String, session: ConsoleSession) {
        let id = ConsoleToken.generate()
        let session = ConsoleSession(
            user: user, csrfToken: ConsoleToken.generate(), createdAt: now, lastSeenAt: now,
            expiresAt: now + ConsoleSession.absoluteLifetime)
        try await database.write { db in
            // Ended sessions are of no use: drop them while here.
            try db.execute(
                sql: "DELETE FROM consoleSession WHERE expiresAt <= ? OR lastSeenAt <= ?",
                arguments: [now, now - ConsoleSession.idleTimeout])
            try db.execute(
                sql: """
                    INSERT INTO consoleSession (idSha256, user, csrfToken, createdAt, lastSeenAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [ConsoleToken.hash(id), user.name, session.csrfToken, now, now, session.expiresAt])
            try Self.insertAudit(
                ConsoleAuditEntry(at: now, action: .loginSucceeded, actor: user.name, subject: user.name, clientAddress: clientAddress), db)
        }
        return (id, session)
    }

    /// The live session with this id, its last-seen time moved to `now`; nil when
    /// unknown, idle too long, past its absolute end, or its user is disabled.
    public func session(id: String, at now: Date) async throws -> ConsoleSession? {
        try await database.write { db in
            let key = ConsoleToken.hash(id)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM consoleSession WHERE idSha256 = ?", arguments: [key]),
                  let userRow = try Self.userRow(named: row["user"], db)
            else { return nil }
            var session = ConsoleSession(
                user: Self.user(userRow), csrfToken: row["csrfToken"], createdAt: row["createdAt"], lastSeenAt: row["lastSeenAt"],
                expiresAt: row["expiresAt"])
            guard session.isValid(at: now), session.user.isActive else {
                try db.execute(sql: "DELETE FROM consoleSession WHERE idSha256 = ?", arguments: [key])
                return nil
            }
            session.lastSeenAt = now
            try db.execute(sql: "UPDATE consoleSession SET lastSeenAt = ? WHERE idSha256 = ?", arguments: [now, key])
            return session
        }
    }

    /// Ends the session with this id (logout) and records it; unknown ids are ignored.
    public func endSession(id: String, clientAddress: String?, at now: Date) async throws {
        try await database.write { db in
            let key = ConsoleToken.hash(id)
            guard let user = try String.fetchOne(db, sql: "SELECT user FROM consoleSession WHERE idSha256 = ?", arguments: [key])
            else { return }
            try db.execute(sql: "DELETE FROM consoleSession WHERE idSha256 = ?", arguments: [key])
            try Self.insertAudit(
                ConsoleAuditEntry(at: now, action: .logout, actor: user, subject: user, clientAddress: clientAddress), db)
        }
    }
}
