public import Foundation

/// Console users (their tokens and passwords kept only as hashes), login sessions
/// and the audit trail of who changed what.
public protocol ConsoleAccountStore: Sendable {
    /// Adds a user with a fresh random token and returns the token: it is shown
    /// once, the store keeps only its SHA-256. With a `password`, the user can also
    /// log in to the console.
    /// - Parameter actor: who adds the user, for the audit trail.
    /// - Throws: `ConsoleUserError` for an invalid, reserved or taken name, no role, or a weak password.
    func addUser(name: String, displayName: String, roles: Set<ConsoleRole>, password: String?, by actor: String, at now: Date)
        async throws -> (user: ConsoleUser, token: String)
    /// Sets (or replaces) a user's console password and records it.
    /// - Throws: `ConsoleUserError.unknownUser` or `.weakPassword`.
    func setPassword(_ password: String, forUser name: String, by actor: String, at now: Date) async throws
    /// The active user with this name and password; nil otherwise, in about the same time either way.
    func user(named name: String, password: String) async throws -> ConsoleUser?
    /// Every user, disabled ones included, by name.
    func users() async throws -> [ConsoleUser]
    /// The user with this name, if any.
    func user(named name: String) async throws -> ConsoleUser?
    /// The user whose token this is (disabled or not: the caller refuses a disabled one
    /// with its own message), found by the token's hash.
    func user(bearerToken token: String) async throws -> ConsoleUser?
    /// Disables a user: their token is refused and their sessions end from now on.
    /// Disabling twice keeps the first instant.
    /// - Throws: `ConsoleUserError.unknownUser`.
    @discardableResult
    func disableUser(named name: String, by actor: String, at now: Date) async throws -> ConsoleUser

    /// Starts a session for `user` (who must exist) and records the login in the audit trail.
    /// - Returns: the session and its id, to be sent once as the cookie's value.
    func startSession(for user: ConsoleUser, clientAddress: String?, at now: Date) async throws -> (id: String, session: ConsoleSession)
    /// The live session with this id, its last-seen time moved to `now`; nil when
    /// unknown, idle too long, past its absolute end, or its user is disabled.
    func session(id: String, at now: Date) async throws -> ConsoleSession?
    /// Ends the session with this id (logout) and records it; unknown ids are ignored.
    func endSession(id: String, clientAddress: String?, at now: Date) async throws

    /// Appends `entry` to the audit trail (its `id` is ignored).
    func recordAudit(_ entry: ConsoleAuditEntry) async throws
    /// The latest `limit` entries of the audit trail, newest first.
    func auditTrail(limit: Int) async throws -> [ConsoleAuditEntry]
}

extension ConsoleAccountStore {
    // The command line on the controller's host is the actor unless one is named.

    /// Adds a user (`addUser(name:displayName:roles:password:by:at:)`) as the command line.
    public func addUser(name: String, displayName: String, roles: Set<ConsoleRole>, password: String? = nil, at now: Date)
        async throws -> (user: ConsoleUser, token: String) {
        try await addUser(
            name: name, displayName: displayName, roles: roles, password: password, by: ConsoleAuditEntry.commandLineActor, at: now)
    }

    /// Sets a user's password (`setPassword(_:forUser:by:at:)`) as the command line.
    public func setPassword(_ password: String, forUser name: String, at now: Date) async throws {
        try await setPassword(password, forUser: name, by: ConsoleAuditEntry.commandLineActor, at: now)
    }

    /// Disables a user (`disableUser(named:by:at:)`) as the command line.
    @discardableResult
    public func disableUser(named name: String, at now: Date) async throws -> ConsoleUser {
        try await disableUser(named: name, by: ConsoleAuditEntry.commandLineActor, at: now)
    }

    /// The latest 100 entries of the audit trail, newest first.
    public func auditTrail() async throws -> [ConsoleAuditEntry] { try await auditTrail(limit: 100) }
}
