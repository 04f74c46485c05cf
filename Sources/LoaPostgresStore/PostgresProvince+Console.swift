public import Foundation
import LoaDomain
public import LoaStore
import PostgresNIO

/// The province's web console on the shared database: the emergencies to list, the
/// communes to address, and sessions (only a hash of each id is stored, as for the
/// communes' consoles).
extension PostgresProvince: ProvinceConsoleStore {
    public func recentProvinceEmergencies(limit: Int) async throws -> [ProvinceEmergency] {
        var emergencies = try await client.rows(
            "SELECT * FROM province_emergency ORDER BY proposed_at DESC, id LIMIT \(Int64(max(limit, 0)))", logger
        ).map(Self.emergency(from:))
        let ids = emergencies.map(\.id)
        var approvals: [String: [ProvinceEmergency.Approval]] = [:]
        for row in try await client.rows(
            "SELECT emergency_id, approver, at FROM province_approval WHERE emergency_id = ANY(\(ids)) ORDER BY at, approver", logger)
        {
            approvals[try row.value("emergency_id", as: String.self), default: []].append(
                .init(approver: try row.value("approver"), at: try row.value("at")))
        }
        for index in emergencies.indices { emergencies[index].approvals = approvals[emergencies[index].id] ?? [] }
        return emergencies
    }

    public func provincePeople() async throws -> [String: String] {
        var people: [String: String] = [:]
        for row in try await client.rows("SELECT name, display_name FROM province_user", logger) {
            people[try row.value("name", as: String.self)] = try row.value("display_name", as: String.self)
        }
        return people
    }

    public func provinceCommunes() async throws -> [ProvinceCommune] {
        try await client.rows("SELECT site, name, hamlets FROM province_commune ORDER BY site", logger).map { row in
            ProvinceCommune(id: try row.value("site"), name: try row.value("name"), hamlets: Int(try row.value("hamlets", as: Int64.self)))
        }
    }

    public func startProvinceSession(
        for user: ProvinceUser, from address: String?, at now: Date
    ) async throws -> (id: String, session: ProvinceSession) {
        let id = ConsoleToken.generate()
        let session = ProvinceSession(
            user: user, csrfToken: ConsoleToken.generate(), createdAt: now, lastSeenAt: now, expiresAt: now + ConsoleSession.absoluteLifetime)
        try await client.transaction(logger) { db in
            // Ended sessions are of no use: drop them while here.
            try await db.run(
                "DELETE FROM province_session WHERE expires_at <= \(now) OR last_seen_at <= \(now - ConsoleSession.idleTimeout)", self.logger)
            try await db.run(
                """
                INSERT INTO province_session (id_sha256, "user", csrf_token, created_at, last_seen_at, expires_at)
                VALUES (\(ConsoleToken.hash(id)), \(user.name), \(session.csrfToken), \(now), \(now), \(session.expiresAt))
                """, self.logger)
            try await self.audit(.loginSucceeded, by: user.name, subject: user.name, from: address, at: now, db)
        }
        return (id, session)
    }

    public func recordProvinceSignInFailure(name: String, from address: String?, at now: Date) async throws {
        try await client.transaction(logger) { db in
            try await self.audit(.loginFailed, by: nil, subject: String(name.prefix(100)), from: address, at: now, db)
        }
    }

    public func provinceSession(id: String, at now: Date) async throws -> ProvinceSession? {
        let key = ConsoleToken.hash(id)
        return try await client.transaction(logger) { db in
            guard let row = try await db.rows(
                """
                SELECT s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.name, u.display_name, u.roles
                FROM province_session s JOIN province_user u ON u.name = s."user"
                WHERE s.id_sha256 = \(key) AND u.disabled_at IS NULL FOR UPDATE OF s
                """, self.logger
            ).first else { return nil }
            var session = ProvinceSession(
                user: try Self.user(from: row), csrfToken: try row.value("csrf_token"), createdAt: try row.value("created_at"),
                lastSeenAt: try row.value("last_seen_at"), expiresAt: try row.value("expires_at"))
            guard session.isValid(at: now) else {
                try await db.run("DELETE FROM province_session WHERE id_sha256 = \(key)", self.logger)
                return nil
            }
            session.lastSeenAt = now
            try await db.run("UPDATE province_session SET last_seen_at = \(now) WHERE id_sha256 = \(key)", self.logger)
            return session
        }
    }

    public func endProvinceSession(id: String, from address: String?, at now: Date) async throws {
        try await client.transaction(logger) { db in
            let ended = try await db.rows(
                "DELETE FROM province_session WHERE id_sha256 = \(ConsoleToken.hash(id)) RETURNING \"user\"", self.logger)
            guard let user = try ended.first?.value("user", as: String.self) else { return }
            try await self.audit(.logout, by: user, subject: user, from: address, at: now, db)
        }
    }
}
