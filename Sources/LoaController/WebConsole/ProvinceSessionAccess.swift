import Foundation
public import Hummingbird
import LoaProtocol
import Synchronization
public import LoaStore

/// The province console's sessions (`/province`): its own cookie, scoped to the
/// province's pages, the sign-in with the commune console's login throttle (each sign-in,
/// refusal and sign-out on the province's audit trail), and the
/// origin and CSRF checks of its form posts. A province session is no commune
/// session: it opens no `/console` page, and a commune account opens no province page.
public struct ProvinceSessionAccess: Sendable {
    /// The cookie's name.
    public static let cookieName = "loa_province_session"
    /// The form field the session's CSRF token is posted in.
    public static let csrfField = CSRFCheck.formField

    private let desk: any ProvinceConsoleStore
    private let origin: SessionCookies
    private let secure: Bool
    private let clock: @Sendable () -> Date
    private let throttle = ThrottleState()

    public init(desk: any ProvinceConsoleStore, controller: Controller) {
        self.desk = desk
        secure = controller.configuration.http.secureCookies ?? false
        origin = SessionCookies(store: controller.store, secure: secure)
        clock = controller.clock
    }

    /// Why a sign-in was refused.
    public enum SignInRefusal: Error, Equatable {
        case wrongCredentials
        /// Too many failures: seconds to wait.
        case throttled(seconds: Int)
    }

    /// Signs `name` in: the new session's id (for `cookie(for:)`) and the session.
    /// - Throws: `SignInRefusal`.
    public func signIn(name: String, password: String, from address: String?) async throws -> (id: String, session: ProvinceSession) {
        let now = clock()
        if let wait = throttle.state.withLock({ $0.retryAfter(name: name, address: address, now: now) }) {
            throw SignInRefusal.throttled(seconds: Int(wait.rounded(.up)))
        }
        guard let user = try await desk.provinceUser(named: name, password: password) else {
            throttle.state.withLock { $0.recordFailure(name: name, address: address, now: now) }
            try await desk.recordProvinceSignInFailure(name: name, from: address, at: now)
            throw SignInRefusal.wrongCredentials
        }
        return try await desk.startProvinceSession(for: user, from: address, at: now)
    }

    /// The live session of the request's cookie, with its id; nil without one.
    public func session(of request: Request) async throws -> (id: String, session: ProvinceSession)? {
        guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty,
            let session = try await desk.provinceSession(id: id, at: clock())
        else { return nil }
        return (id, session)
    }

    /// Ends the session `id`, on the audit trail with the address the request came from.
    public func signOut(id: String, from address: String?) async throws { try await desk.endProvinceSession(id: id, from: address, at: clock()) }

    /// Passes a form post only from this controller's origin with the session's CSRF token.
    /// - Throws: `HTTPError` 403 naming what is missing.
    public func verify(_ request: Request, form token: String?, session: ProvinceSession) throws {
        try origin.checkOrigin(request)
        guard let token, ConstantTime.equal(token, session.csrfToken) else {
            throw HTTPError(.forbidden, message: "Thiếu hoặc sai mã chống giả mạo (missing or wrong CSRF token); reload the page and try again")
        }
    }

    /// Refuses a sign-in form from another origin (a login CSRF would sign the victim in as the attacker).
    public func checkOrigin(_ request: Request) throws { try origin.checkOrigin(request) }

    /// The cookie that hands the browser a new session's id: sent to `/province` only.
    public func cookie(for id: String) -> Cookie {
        Cookie(
            name: Self.cookieName, value: id, maxAge: Int(ConsoleSession.absoluteLifetime), path: "/province", secure: secure,
            httpOnly: true, sameSite: .strict)
    }

    /// The cookie that makes the browser forget the session.
    public func clearingCookie() -> Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/province", secure: secure, httpOnly: true, sameSite: .strict)
    }
}
