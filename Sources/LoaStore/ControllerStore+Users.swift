public import Foundation
import GRDB
import LoaDomain

extension ControllerStore {
    /// Adds a user with a fresh random token and returns the token: it is shown
    /// once, the store keeps only its SHA-256.
    /// - Throws: `ConsoleUserError` for an invalid, reserved or taken name, or no role.
    public func addUser(name: String, displayName: String, roles: Set<ConsoleRole>, at now: Date) throws -> (user: ConsoleUser, token: String) {
        if let problem = Identifier.problem(with: name) { throw ConsoleUserError.invalidName(name, problem: problem) }
        guard name != ConsoleUser.bootstrapAdminName else { throw ConsoleUserError.reservedName(name) }
        guard !roles.isEmpty else { throw ConsoleUserError.noRole(name) }
        let user = ConsoleUser(
            name: name, displayName: displayName.precomposedStringWithCanonicalMapping, roles: roles, createdAt: now)
        let token = ConsoleToken.generate()
        try database.write { db in
            guard try Self.userRow(named: name, db) == nil else { throw ConsoleUserError.duplicateName(name) }
            try db.execute(
                sql: "INSERT INTO consoleUser (name, displayName, roles, tokenSha256, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, user.displayName, Self.rolesText(roles), ConsoleToken.hash(token), now])
        }
        return (user, token)
    }

    /// Every user, disabled ones included, by name.
    public func users() throws -> [ConsoleUser] {
        try database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM consoleUser ORDER BY name").map(Self.user) }
    }

    /// The user with this name, if any.
    public func user(named name: String) throws -> ConsoleUser? {
        try database.read { db in try Self.userRow(named: name, db).map(Self.user) }
    }

    /// The user whose token this is (disabled or not: the caller refuses a disabled one
    /// with its own message), found by the token's hash.
    public func user(bearerToken token: String) throws -> ConsoleUser? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM consoleUser WHERE tokenSha256 = ?", arguments: [ConsoleToken.hash(token)])
                .map(Self.user)
        }
    }

    /// Disables a user: their token is refused from now on. Disabling twice keeps the first instant.
    /// - Throws: `ConsoleUserError.unknownUser`.
    @discardableResult
    public func disableUser(named name: String, at now: Date) throws -> ConsoleUser {
        try database.write { db in
            try db.execute(
                sql: "UPDATE consoleUser SET disabledAt = COALESCE(disabledAt, ?) WHERE name = ?", arguments: [now, name])
            guard let row = try Self.userRow(named: name, db) else { throw ConsoleUserError.unknownUser(name) }
            return Self.user(row)
        }
    }

    private static func userRow(named name: String, _ db: Database) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM consoleUser WHERE name = ?", arguments: [name])
    }

    private static func user(_ row: Row) -> ConsoleUser {
        let roles = (row["roles"] as String).split(separator: ",").compactMap { ConsoleRole(rawValue: String($0)) }
        return ConsoleUser(
            name: row["name"], displayName: row["displayName"], roles: Set(roles), createdAt: row["createdAt"],
            disabledAt: row["disabledAt"])
    }

    private static func rolesText(_ roles: Set<ConsoleRole>) -> String { roles.sorted().map(\.rawValue).joined(separator: ",") }
}
