package import Foundation
package import LoaDomain

/// The rules every engine applies to console users before it stores one: a valid,
/// unreserved name, at least one role, a strong password (kept only as a hash), and
/// how roles are written in a column.
package enum ConsoleUserRules {
    /// Throws the `ConsoleUserError` for an invalid or reserved name, or no role.
    package static func check(name: String, roles: Set<ConsoleRole>) throws {
        if let problem = Identifier.problem(with: name) { throw ConsoleUserError.invalidName(name, problem: problem) }
        guard name != ConsoleUser.bootstrapAdminName else { throw ConsoleUserError.reservedName(name) }
        guard !roles.isEmpty else { throw ConsoleUserError.noRole(name) }
    }

    /// The hash to store for `password`.
    /// - Throws: `ConsoleUserError.weakPassword` when `PasswordPolicy` refuses it.
    package static func passwordHash(_ password: String, for name: String) throws -> PasswordHash {
        if let problem = PasswordPolicy.problem(with: password, name: name) {
            throw ConsoleUserError.weakPassword(name, problem: problem)
        }
        return PasswordHash(password: password)
    }

    /// Roles as stored: their raw values, sorted, comma-separated.
    package static func text(of roles: Set<ConsoleRole>) -> String { roles.sorted().map(\.rawValue).joined(separator: ",") }

    /// Roles read back from `text(of:)`; unknown ones are left out.
    package static func roles(fromText text: String) -> Set<ConsoleRole> {
        Set(text.split(separator: ",").compactMap { ConsoleRole(rawValue: String($0)) })
    }

    /// The user `user(named:password:)` returns: the active user whose stored hash
    /// matches. An unknown name, no password or a disabled user costs as much time as
    /// a wrong password (the decoy hash is checked).
    package static func user(_ found: (hash: String?, user: ConsoleUser)?, password: String) -> ConsoleUser? {
        let stored = found?.hash.flatMap { try? PasswordHash(text: $0) }
        let matches = (stored ?? .decoy).matches(password)
        guard matches, stored != nil, let user = found?.user else { return nil }
        return user.isActive ? user : nil
    }
}
