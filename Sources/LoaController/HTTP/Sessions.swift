import Foundation
import Hummingbird
import LoaStore

/// The `loa_session` cookie: how it is set, read and cleared, and the controller's
/// own origin that session requests must come from.
struct SessionCookies: Sendable {
    /// The cookie's name.
    static let name = "loa_session"
    let store: any ConsoleAccountStore
    /// Adds `Secure` (HTTPS only) to the cookie: `http.secureCookies` in the settings.
    let secure: Bool

    static let ended =
        "Phiên đăng nhập đã hết hạn hoặc đã kết thúc (the session has expired or ended); log in again at POST /login"

    /// The live session named by the request's cookie; nil without the cookie or for an ended session.
    func session(of request: Request, at now: Date) async throws -> ConsoleSession? {
        guard let id = request.cookies[Self.name]?.value, !id.isEmpty else { return nil }
        return try await store.session(id: id, at: now)
    }

    /// The cookie that hands the browser a new session's id.
    func cookie(for id: String) -> Cookie {
        Cookie(
            name: Self.name, value: id, maxAge: Int(ConsoleSession.absoluteLifetime), path: "/", secure: secure, httpOnly: true,
            sameSite: .strict)
    }

    /// The cookie that makes the browser forget the session.
    func clearingCookie() -> Cookie {
        Cookie(name: Self.name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The origin browsers send for pages of this controller, as the request reached it
    /// (`Host`); `https` when the cookies are `Secure`, the controller then being behind HTTPS.
    func ownOrigin(of request: Request) -> String? {
        guard let host = request.head.authority else { return nil }
        return "\(secure ? "https" : "http")://\(host)"
    }

    /// Refuses a request whose `Origin` header, when present, is not the controller's own.
    func checkOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        guard let own = ownOrigin(of: request), origin.lowercased() == own.lowercased() else {
            throw HTTPError(
                .forbidden,
                message: "Yêu cầu từ trang khác bị từ chối (a request from another origin, \(origin), is refused); use the console at this controller's own address")
        }
    }
}
