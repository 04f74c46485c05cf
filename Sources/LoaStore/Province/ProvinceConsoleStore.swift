public import Foundation

/// A province account's session in the province's web console (`/province`), kept in
/// the shared database so that every controller serves it. The same lifetimes as a
/// commune console's session (`ConsoleSession`): 30 minutes idle, 12 hours at most.
public struct ProvinceSession: Sendable, Equatable {
    public var user: ProvinceUser
    /// What every form posted with this session must carry.
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date

    public init(user: ProvinceUser, csrfToken: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date) {
        (self.user, self.csrfToken, self.createdAt, self.lastSeenAt, self.expiresAt) = (user, csrfToken, createdAt, lastSeenAt, expiresAt)
    }

    /// True while neither the idle timeout nor the absolute lifetime has passed at `now`.
    public func isValid(at now: Date) -> Bool {
        now < expiresAt && now < lastSeenAt + ConsoleSession.idleTimeout
    }
}

/// A commune on the province's database, as its controller last announced it.
public struct ProvinceCommune: Sendable, Equatable {
    /// The site id emergencies address (`xa-an-phu`).
    public var id: String
    /// Its name as written (`Xã An Phú`).
    public var name: String
    /// How many hamlets its controller serves.
    public var hamlets: Int

    public init(id: String, name: String, hamlets: Int) {
        (self.id, self.name, self.hamlets) = (id, name, hamlets)
    }
}

/// What the province's web console needs beyond the desk: the emergencies to list,
/// the communes to choose from, sessions, and the accounts to administer.
public protocol ProvinceConsoleStore: ProvinceDeskStore, ProvinceAccountStore {
    /// The latest `limit` emergencies, newest proposal first, with their approvals.
    func recentProvinceEmergencies(limit: Int) async throws -> [ProvinceEmergency]
    /// The province accounts' display names, by account name (pages show people, not ids).
    func provincePeople() async throws -> [String: String]
    /// Every commune whose controller runs on this database, by id.
    func provinceCommunes() async throws -> [ProvinceCommune]
    /// A new session for `user`: its id (for the cookie; only its hash is stored) and the
    /// session. The sign-in is on the province's audit trail with the client's address.
    func startProvinceSession(for user: ProvinceUser, from address: String?, at now: Date) async throws -> (id: String, session: ProvinceSession)
    /// Puts a refused sign-in on the audit trail: the name tried (at most 100 characters) and the address.
    func recordProvinceSignInFailure(name: String, from address: String?, at now: Date) async throws
    /// The live session with this id, its last use moved to `now`; nil when unknown or ended.
    func provinceSession(id: String, at now: Date) async throws -> ProvinceSession?
    /// Ends the session (logout), on the audit trail with its account and the address.
    func endProvinceSession(id: String, from address: String?, at now: Date) async throws
}
