public import Foundation
import LoaDomain
public import LoaStore
import Logging
import PostgresNIO

/// The province's accounts on the shared database (`ProvinceAccountStore`); each change
/// and its line in `province_audit` are one transaction.
extension PostgresProvince: ProvinceAccountStore {
    public func provinceAccounts() async throws -> [ProvinceAccount] {
        try await client.rows("SELECT * FROM province_user ORDER BY name", logger).map { row in
            ProvinceAccount(
                user: try Self.user(from: row), createdAt: try row.value("created_at"), createdBy: try row.value("created_by"),
                disabledAt: try row.value("disabled_at"), disabledBy: try row.value("disabled_by"))
        }
    }

    public func addProvinceUser(_ user: ProvinceUser, password: String, by admin: String?, at now: Date) async throws {
        // The console's rules for names and passwords: a valid id, a strong password kept as a hash.
        var problems: [String] = []
        if let problem = Identifier.problem(with: user.name) { problems.append("\(user.name): \(problem)") }
        if user.displayName.trimmingCharacters(in: .whitespaces).isEmpty || user.displayName.count > 100 {
            problems.append("Họ tên: cần từ 1 đến 100 ký tự (display name: 1 to 100 characters)")
        }
        if user.roles.isEmpty { problems.append("Cần ít nhất một vai trò (at least one role)") }
        if let problem = PasswordPolicy.problem(with: password, name: user.name) { problems.append("\(problem)") }
        guard problems.isEmpty else { throw ProvinceEmergencyError.invalid(problems) }
        let roles = user.roles.sorted().map(\.rawValue).joined(separator: ",")
        let hash = PasswordHash(password: password).description
        try await client.transaction(logger) { db in
            let added = try await db.changed(
                """
                INSERT INTO province_user (name, display_name, roles, password_hash, created_at, created_by)
                VALUES (\(user.name), \(user.displayName), \(roles), \(hash), \(now), \(admin)) ON CONFLICT DO NOTHING RETURNING 1
                """, self.logger)
            guard added else { throw ProvinceEmergencyError.invalid(["Tên '\(user.name)' đã có (the name is taken)"]) }
            try await self.audit(
                .userAdded, by: admin ?? ConsoleAuditEntry.commandLineActor, subject: user.name, detail: roles, at: now, db)
        }
    }

    public func disableProvinceUser(_ name: String, by admin: String, at now: Date) async throws {
        guard name != admin else { throw ProvinceAccountError.ownAccount }
        try await client.transaction(logger) { db in
            // Accounts are changed one at a time, so two administrators disabling each other
            // at once cannot leave none.
            try await db.run("LOCK TABLE province_user IN SHARE ROW EXCLUSIVE MODE", self.logger)
            guard let row = try await db.rows("SELECT roles, disabled_at FROM province_user WHERE name = \(name)", self.logger).first
            else { throw ProvinceAccountError.unknown(name) }
            guard try row.value("disabled_at", as: Date?.self) == nil else { return }
            if try Self.roles(in: row.value("roles")).contains(.admin) {
                let others = try await db.rows(
                    "SELECT name, roles FROM province_user WHERE disabled_at IS NULL AND name <> \(name)", self.logger)
                guard try others.contains(where: { try Self.roles(in: $0.value("roles")).contains(.admin) }) else {
                    throw ProvinceAccountError.lastAdministrator
                }
            }
            try await db.run(
                "UPDATE province_user SET disabled_at = \(now), disabled_by = \(admin) WHERE name = \(name)", self.logger)
            try await db.run("DELETE FROM province_session WHERE \"user\" = \(name)", self.logger)
            try await self.audit(.userDisabled, by: admin, subject: name, at: now, db)
        }
    }

    public func enableProvinceUser(_ name: String, by admin: String, at now: Date) async throws {
        try await client.transaction(logger) { db in
            let known = try await db.changed(
                "UPDATE province_user SET disabled_at = NULL, disabled_by = NULL WHERE name = \(name) RETURNING 1", self.logger)
            guard known else { throw ProvinceAccountError.unknown(name) }
            try await self.audit(.userEnabled, by: admin, subject: name, at: now, db)
        }
    }

    public func setProvinceUserPassword(_ name: String, password: String, by admin: String, at now: Date) async throws {
        if let problem = PasswordPolicy.problem(with: password, name: name) { throw ProvinceEmergencyError.invalid(["\(problem)"]) }
        let hash = PasswordHash(password: password).description
        try await client.transaction(logger) { db in
            let known = try await db.changed(
                "UPDATE province_user SET password_hash = \(hash) WHERE name = \(name) RETURNING 1", self.logger)
            guard known else { throw ProvinceAccountError.unknown(name) }
            try await db.run("DELETE FROM province_session WHERE \"user\" = \(name)", self.logger)
            try await self.audit(.passwordSet, by: admin, subject: name, at: now, db)
        }
    }

    public func setProvinceUserRoles(_ name: String, roles: Set<ProvinceUser.Role>, by admin: String, at now: Date) async throws {
        guard !roles.isEmpty else { throw ProvinceEmergencyError.invalid(["Cần ít nhất một vai trò (at least one role)"]) }
        // One's own roles stay as they are: an administrator cannot lock themself out.
        guard name != admin else { throw ProvinceAccountError.ownRoles }
        let listed = roles.sorted().map(\.rawValue).joined(separator: ",")
        try await client.transaction(logger) { db in
            // In turn with other changes, as for disabling: two administrators taking the
            // role from each other at once cannot leave none.
            try await db.run("LOCK TABLE province_user IN SHARE ROW EXCLUSIVE MODE", self.logger)
            guard let row = try await db.rows("SELECT roles, disabled_at FROM province_user WHERE name = \(name)", self.logger).first
            else { throw ProvinceAccountError.unknown(name) }
            let before = try Self.roles(in: row.value("roles"))
            guard before != roles else { return }
            if before.contains(.admin), !roles.contains(.admin), try row.value("disabled_at", as: Date?.self) == nil {
                let others = try await db.rows(
                    "SELECT roles FROM province_user WHERE disabled_at IS NULL AND name <> \(name)", self.logger)
                guard try others.contains(where: { try Self.roles(in: $0.value("roles")).contains(.admin) }) else {
                    throw ProvinceAccountError.lastAdministrator
                }
            }
            try await db.run("UPDATE province_user SET roles = \(listed) WHERE name = \(name)", self.logger)
            try await self.audit(.rolesSet, by: admin, subject: name, detail: listed, at: now, db)
        }
    }

    public func provinceAccountAudit(_ kind: ProvinceAuditKind, limit: Int) async throws -> [ConsoleAuditEntry] {
        let actions = kind.actions.map(\.rawValue).sorted()
        return try await client.rows(
            "SELECT * FROM province_audit WHERE action = ANY(\(actions)) ORDER BY id DESC LIMIT \(Int64(max(limit, 0)))", logger
        ).compactMap { row in
            guard let action = ConsoleAuditEntry.Action(rawValue: try row.value("action")) else { return nil }
            return ConsoleAuditEntry(
                id: try row.value("id"), at: try row.value("at"), action: action, actor: try row.value("actor"),
                subject: try row.value("subject"), detail: try row.value("detail"), clientAddress: try row.value("client_address"))
        }
    }

    /// Writes a line of the province's audit trail inside the change's transaction.
    func audit(
        _ action: ConsoleAuditEntry.Action, by actor: String?, subject: String?, detail: String? = nil, from address: String? = nil,
        at now: Date, _ db: PostgresConnection
    ) async throws {
        try await db.run(
            """
            INSERT INTO province_audit (at, action, actor, subject, detail, client_address)
            VALUES (\(now), \(action.rawValue), \(actor), \(subject), \(detail), \(address.map { String($0.prefix(100)) }))
            """, logger)
    }
}
