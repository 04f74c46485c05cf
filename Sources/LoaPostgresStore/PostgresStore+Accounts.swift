public import Foundation
public import LoaStore
import Logging
import PostgresNIO

extension PostgresStore {
    // MARK: Users

    public func addUser(name: String, displayName: String, roles: Set<ConsoleRole>, password: String?, by actor: String, at now: Date)
        async throws -> (user: ConsoleUser, token: String)
    {
        try ConsoleUserRules.check(name: name, roles: roles)
        let hash = try password.map { try ConsoleUserRules.passwordHash($0, for: name) }
        let user = ConsoleUser(name: name, displayName: displayName.precomposedStringWithCanonicalMapping, roles: roles, createdAt: now)
        let token = ConsoleToken.generate()
        let rolesText = ConsoleUserRules.text(of: roles)
        try await client.transaction(logger) { db in
            let added = try await db.changed(
                """
                INSERT INTO console_user (site, name, display_name, roles, token_sha256, created_at, password_hash)
                VALUES (\(self.site), \(name), \(user.displayName), \(rolesText), \(ConsoleToken.hash(token)), \(now), \(hash?.description))
                ON CONFLICT (site, name) DO NOTHING RETURNING 1
                """, self.logger)
            guard added else { throw ConsoleUserError.duplicateName(name) }
            try await self.insertAudit(
                ConsoleAuditEntry(at: now, action: .userAdded, actor: actor, subject: name, detail: "roles: \(rolesText)"), db)
            if hash != nil { try await self.insertAudit(ConsoleAuditEntry(at: now, action: .passwordSet, actor: actor, subject: name), db) }
        }
        return (user, token)
    }

    public func setPassword(_ password: String, forUser name: String, by actor: String, at now: Date) async throws {
        let hash = try ConsoleUserRules.passwordHash(password, for: name)
        try await client.transaction(logger) { db in
            let known = try await db.changed(
                """
                UPDATE console_user SET password_hash = \(hash.description) WHERE site = \(self.site) AND name = \(name) RETURNING 1
                """, self.logger)
            guard known else { throw ConsoleUserError.unknownUser(name) }
            try await db.run("DELETE FROM console_session WHERE site = \(self.site) AND \"user\" = \(name)", self.logger)
            try await self.insertAudit(ConsoleAuditEntry(at: now, action: .passwordSet, actor: actor, subject: name), db)
        }
    }

    public func user(named name: String, password: String) async throws -> ConsoleUser? {
        let found = try await userRow(named: name, client).map { row in (hash: try row.value("password_hash", as: String?.self), user: try user(row)) }
        return ConsoleUserRules.user(found, password: password)
    }

    public func users() async throws -> [ConsoleUser] {
        try await client.rows("SELECT * FROM console_user WHERE site = \(site) ORDER BY name", logger).map(user)
    }

    public func user(named name: String) async throws -> ConsoleUser? { try await userRow(named: name, client).map(user) }

    public func user(bearerToken token: String) async throws -> ConsoleUser? {
        try await client.rows(
            "SELECT * FROM console_user WHERE site = \(site) AND token_sha256 = \(ConsoleToken.hash(token))", logger
        ).first.map(user)
    }

    @discardableResult
    public func disableUser(named name: String, by actor: String, at now: Date) async throws -> ConsoleUser {
        try await client.transaction(logger) { db in
            guard let before = try await self.userRow(named: name, db).map(self.user) else { throw ConsoleUserError.unknownUser(name) }
            try await db.run(
                "UPDATE console_user SET disabled_at = coalesce(disabled_at, \(now)) WHERE site = \(self.site) AND name = \(name)",
                self.logger)
            try await db.run("DELETE FROM console_session WHERE site = \(self.site) AND \"user\" = \(name)", self.logger)
            if before.isActive {
                try await self.insertAudit(ConsoleAuditEntry(at: now, action: .userDisabled, actor: actor, subject: name), db)
            }
            guard let after = try await self.userRow(named: name, db).map(self.user) else { throw ConsoleUserError.unknownUser(name) }
            return after
        }
    }

    private func userRow(named name: String, _ db: some PostgresQuerying) async throws -> PostgresRandomAccessRow? {
        try await db.rows("SELECT * FROM console_user WHERE site = \(site) AND name = \(name)", logger).first
    }

    private func user(_ row: PostgresRandomAccessRow) throws -> ConsoleUser {
        ConsoleUser(
            name: try row.value("name"), displayName: try row.value("display_name"),
            roles: ConsoleUserRules.roles(fromText: try row.value("roles")), createdAt: try row.value("created_at"),
            disabledAt: try row.value("disabled_at"))
    }

    // MARK: Sessions

    public func startSession(for user: ConsoleUser, clientAddress: String?, at now: Date) async throws -> (id: String, session: ConsoleSession) {
        let id = ConsoleToken.generate()
        let session = ConsoleSession(
            user: user, csrfToken: ConsoleToken.generate(), createdAt: now, lastSeenAt: now, expiresAt: now + ConsoleSession.absoluteLifetime)
        try await client.transaction(logger) { db in
            // Ended sessions are of no use: drop them while here.
            try await db.run(
                """
                DELETE FROM console_session
                WHERE site = \(self.site) AND (expires_at <= \(now) OR last_seen_at <= \(now - ConsoleSession.idleTimeout))
                """, self.logger)
            try await db.run(
                """
                INSERT INTO console_session (site, id_sha256, "user", csrf_token, created_at, last_seen_at, expires_at)
                VALUES (\(self.site), \(ConsoleToken.hash(id)), \(user.name), \(session.csrfToken), \(now), \(now), \(session.expiresAt))
                """, self.logger)
            try await self.insertAudit(
                ConsoleAuditEntry(at: now, action: .loginSucceeded, actor: user.name, subject: user.name, clientAddress: clientAddress), db)
        }
        return (id, session)
    }

    public func session(id: String, at now: Date) async throws -> ConsoleSession? {
        let key = ConsoleToken.hash(id)
        return try await client.transaction(logger) { db in
            guard let row = try await db.rows(
                "SELECT * FROM console_session WHERE site = \(self.site) AND id_sha256 = \(key) FOR UPDATE", self.logger
            ).first,
                let userRow = try await self.userRow(named: try row.value("user"), db)
            else { return nil }
            var session = ConsoleSession(
                user: try self.user(userRow), csrfToken: try row.value("csrf_token"), createdAt: try row.value("created_at"),
                lastSeenAt: try row.value("last_seen_at"), expiresAt: try row.value("expires_at"))
            guard session.isValid(at: now), session.user.isActive else {
                try await db.run("DELETE FROM console_session WHERE site = \(self.site) AND id_sha256 = \(key)", self.logger)
                return nil
            }
            session.lastSeenAt = now
            try await db.run(
                "UPDATE console_session SET last_seen_at = \(now) WHERE site = \(self.site) AND id_sha256 = \(key)", self.logger)
            return session
        }
    }

    public func endSession(id: String, clientAddress: String?, at now: Date) async throws {
        let key = ConsoleToken.hash(id)
        try await client.transaction(logger) { db in
            guard let row = try await db.rows(
                "DELETE FROM console_session WHERE site = \(self.site) AND id_sha256 = \(key) RETURNING \"user\"", self.logger
            ).first
            else { return }
            let user: String = try row.value("user")
            try await self.insertAudit(
                ConsoleAuditEntry(at: now, action: .logout, actor: user, subject: user, clientAddress: clientAddress), db)
        }
    }

    // MARK: Audit trail

    public func recordAudit(_ entry: ConsoleAuditEntry) async throws { try await insertAudit(entry, client) }

    public func auditTrail(limit: Int) async throws -> [ConsoleAuditEntry] {
        try await client.rows(
            "SELECT * FROM console_audit WHERE site = \(site) ORDER BY id DESC LIMIT \(max(limit, 0))", logger
        ).compactMap { row in
            guard let action = ConsoleAuditEntry.Action(rawValue: try row.value("action")) else { return nil }
            return ConsoleAuditEntry(
                id: try row.value("id"), at: try row.value("at"), action: action, actor: try row.value("actor"),
                subject: try row.value("subject"), detail: try row.value("detail"), clientAddress: try row.value("client_address"))
        }
    }

    private func insertAudit(_ entry: ConsoleAuditEntry, _ db: some PostgresQuerying) async throws {
        try await db.run(
            """
            INSERT INTO console_audit (site, at, action, actor, subject, detail, client_address)
            VALUES (\(site), \(entry.at), \(entry.action.rawValue), \(entry.actor), \(entry.subject), \(entry.detail), \(entry.clientAddress))
            """, logger)
    }
}
