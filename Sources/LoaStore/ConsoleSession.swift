public import Foundation
import GRDB

/// A console login session. Its id (256 random bits, the `loa_session` cookie)
/// is kept only as its SHA-256; its CSRF token is a second random value that
/// the console echoes on every state-changing request.
public struct ConsoleSession: Sendable, Equatable {
    /// The user it belongs to.
    public var user: ConsoleUser
    /// What a state-changing request made with this session must carry (`X-CSRF-Token`).
    public var csrfToken: String
    public var createdAt: Date
    /// The last request made with it.
    public var lastSeenAt: Date
    /// The absolute end, `createdAt` + `absoluteLifetime`, however busy the session is.
    public var expiresAt: Date

    /// A session unused this long ends (30 minutes).
    public static let idleTimeout: TimeInterval = 30 * 60
    /// No session lasts longer than this (12 hours).
    public static let absoluteLifetime: TimeInterval = 12 * 3600

    /// True while neither the idle timeout nor the absolute lifetime has passed at `now`.
    public func isValid(at now: Date) -> Bool {
        now < expiresAt && now < lastSeenAt + Self.idleTimeout
    }
}

extension ControllerStore {
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
