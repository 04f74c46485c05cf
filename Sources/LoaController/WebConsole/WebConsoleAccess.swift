public import Foundation
public import Hummingbird
public import LoaStore
public import LoaDomain

/// Routes a module above the controller adds to its router (the web console):
/// `ControllerApp.run` and `ControllerRouter.make` take them, so the controller
/// does not depend on the console.
public typealias ControllerRouteAdder = @Sendable (Router<ControllerRequestContext>, Controller) -> Void

/// What the server-rendered web console needs of the controller's session
/// machinery: the `loa_session` cookie, and the CSRF and origin checks of a form
/// POST. Logging in goes through `POST /login` itself (its throttle and audit).
public struct WebSessionAccess: Sendable {
    private let sessions: SessionCookies
    private let clock: @Sendable () -> Date

    public init(controller: Controller) {
        sessions = SessionCookies(store: controller.store, secure: controller.configuration.http.secureCookies ?? false)
        clock = controller.clock
    }

    /// The form field a console form sends the session's CSRF token in.
    public static let csrfField = CSRFCheck.formField

    /// The live session of the request's cookie, with its id; nil without one.
    public func session(of request: Request) async throws -> (id: String, session: ConsoleSession)? {
        guard let id = request.cookies[SessionCookies.name]?.value,
            let session = try await sessions.session(of: request, at: clock())
        else { return nil }
        return (id, session)
    }

    /// Passes a state-changing request only from this controller's origin with the session's CSRF token.
    /// - Throws: `HTTPError` 403 naming what is missing.
    public func verify(_ request: inout Request, session: ConsoleSession) async throws {
        try await CSRFCheck(sessions: sessions).verify(&request, session: session)
    }

    /// The cookie that makes the browser forget the session.
    public func clearingCookie() -> Cookie { sessions.clearingCookie() }
}

/// The fields of an `application/x-www-form-urlencoded` body, as the console's forms send them.
public struct WebForm {
    private let fields: FormFields

    public init(_ body: String) { fields = FormFields(body) }

    /// The value of field `name`; nil when the form lacks it.
    public subscript(_ name: String) -> String? { fields[name] }
}

extension APIPermission {
    /// True when `user` holds a role that may do this.
    public func allows(_ user: ConsoleUser) -> Bool {
        roles.map { !$0.isDisjoint(with: user.roles) } ?? true
    }
}

extension Controller {
    /// The controller's time (a test's clock in tests).
    public var now: Date { clock() }
}

extension ControllerConfiguration {
    /// The site's wall clock (`site.timeZone`, `WallClock(siteTimeZone:)`).
    public var wallClock: WallClock { WallClock(siteTimeZone: site.timeZone) }
}
