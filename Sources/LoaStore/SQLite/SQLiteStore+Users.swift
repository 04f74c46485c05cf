public import Foundation
import GRDB
import LoaDomain

extension SQLiteStore {
    /// Adds a user with a fresh random token and returns the token: it is shown
    /// once, the store keeps only its SHA-256. With a `password`, the user can also
    /// log in to the console (the store keeps its `PasswordHash`).
    /// - Parameter actor: who adds the user, for the audit trail.
    /// - Throws: `ConsoleUserError` for an invalid, reserved or taken name, no role, or a weak password.
    public func addUser(
        name: String, displayName: String, roles: Set<ConsoleRole>, password: String?,
        by actor: String, at now: Date
    ) async throws -> (user: ConsoleUser, token: String) {
        try ConsoleUserRules.check(name: name, roles: roles)
        let hash = try password.map { try ConsoleUserRules.passwordHash($0, for: name) }
        let user = ConsoleUser(
            name: name, displayName: displayName.precomposedStringWithCanonicalMapping, roles: roles, createdAt: now)
        let token = ConsoleToken.generate()
        try await database.write { db in
            guard try Self.userRow(named: name, db) == nil else { throw ConsoleUserError.duplicateName(name) }
            try db.execute(
                sql: "INSERT INTO consoleUser (name, displayName, roles, tokenSha256, createdAt, passwordHash) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [name, user.displayName, ConsoleUserRules.text(of: roles), ConsoleToken.hash(token), now, hash?.description])
            try Self.insertAudit(
                ConsoleAuditEntry(at: now, action: .userAdded, actor: actor, subject: name, detail: "roles: \(ConsoleUserRules.text(of: roles))"), db)
            if hash != nil {
                try Self.insertAudit(ConsoleAuditEntry(at: now, action: .passwordSet, actor: actor, subject: name), db)
            }
        }
        return (user, token)
    }

    /// Sets or replaces a user's console password; their open sessions end.
    /// - Throws: `ConsoleUserError.weakPassword` (too short, or the name), `.unknownUser`.
    public func setPassword(
        _ password: String, forUser name: String, by actor: String, at now: Date
    ) async throws {
        let hash = try ConsoleUserRules.passwordHash(password, for: name)
        try await database.write { db in
            guard try Self.userRow(named: name, db) != nil else { throw ConsoleUserError.unknownUser(name) }
            try db.execute(sql: "UPDATE consoleUser SET passwordHash = ? WHERE name = ?", arguments: [hash.description, name])
            try db.execute(sql: "DELETE FROM consoleSession WHERE user = ?", arguments: [name])
            try Self.insertAudit(ConsoleAuditEntry(at: now, action: .passwordSet, actor: actor, subject: name), db)
        }
    }

    /// The active user named `name` when `password` is theirs. An unknown name, a
    /// disabled user or one without a password costs as much time as a wrong password.
    public func user(named name: String, password: String) async throws -> ConsoleUser? {
        let found = try await database.read { db in
            try Self.userRow(named: name, db).map { (hash: $0["passwordHash"] as String?, user: Self.user($0)) }
        }
        return ConsoleUserRules.user(found, password: password)
    }


    /// Every user, disabled ones included, by name.
    public func users() async throws -> [ConsoleUser] {
        try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM consoleUser ORDER BY name").map(Self.user) }
    }

    /// The user with this name, if any.
    public func user(named name: String) async throws -> ConsoleUser? {
        try await database.read { db in try Self.userRow(named: name, db).map(Self.user) }
    }

    /// The user whose token this is (disabled or not: the caller refuses a disabled one
    /// with its own message), found by the token's hash.
    public func user(bearerToken token: String) async throws -> ConsoleUser? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM consoleUser WHERE tokenSha256 = ?", arguments: [ConsoleToken.hash(token)])
                .map(Self.user)
        }
    }

    /// Disables a user: their token is refused and their sessions end from now on.
    /// Disabling twice keeps the first instant.
    /// - Parameter actor: who disables the user, for the audit trail.
    /// - Throws: `ConsoleUserError.unknownUser`.
    @discardableResult
    public func disableUser(
        named name: String, by actor: String, at now: Date
    ) async throws -> ConsoleUser {
        try await database.write { db in
            guard let before = try Self.userRow(named: name, db).map(Self.user) else { throw ConsoleUserError.unknownUser(name) }
            try db.execute(
                sql: "UPDATE consoleUser SET disabledAt = COALESCE(disabledAt, ?) WHERE name = ?", arguments: [now, name])
            try db.execute(sql: "DELETE FROM consoleSession WHERE user = ?", arguments: [name])
            if before.isActive {
                try Self.insertAudit(ConsoleAuditEntry(at: now, action: .userDisabled, actor: actor, subject: name), db)
            }
            guard let row = try Self.userRow(named: name, db) else { throw ConsoleUserError.unknownUser(name) }
            return Self.user(row)
        }
    }

    static func userRow(named name: String, _ db: Database) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM consoleUser WHERE name = ?", arguments: [name])
    }

    static func user(_ row: Row) -> ConsoleUser {
        ConsoleUser(
            name: row["name"], displayName: row["displayName"], roles: ConsoleUserRules.roles(fromText: row["roles"]), createdAt: row["createdAt"],
            disabledAt: row["disabledAt"])
    }

}
