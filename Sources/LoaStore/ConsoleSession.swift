public import Foundation

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

    /// A session as an engine stores or reads it.
    package init(user: ConsoleUser, csrfToken: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date) {
        (self.user, self.csrfToken, self.createdAt, self.lastSeenAt, self.expiresAt) = (user, csrfToken, createdAt, lastSeenAt, expiresAt)
    }

    /// True while neither the idle timeout nor the absolute lifetime has passed at `now`.
    public func isValid(at now: Date) -> Bool {
        now < expiresAt && now < lastSeenAt + Self.idleTimeout
    }
}
