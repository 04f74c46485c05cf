public import Hummingbird
import Foundation
public import LoaStore
import LoaProtocol
import NIOCore

/// The request context of the controller's HTTP server: Hummingbird's core
/// values, the client's address, and who sent the request.
public struct ControllerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who sent the request; set by `AuthenticationMiddleware` on `/api/v1`, nil elsewhere.
    public var user: ConsoleUser?
    /// The login session the request came with, when it came with the `loa_session`
    /// cookie rather than a bearer token.
    public var session: ConsoleSession?
    /// The client's IP address (the TCP peer: behind a reverse proxy, the proxy's).
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
        session = nil
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// Refuses API requests without a valid `Authorization: Bearer <token>` or
/// `loa_session` cookie and puts the user into the context: the bootstrap token
/// (`api-token`, compared in constant time) is the `admin` user; any other token
/// is looked up by its SHA-256 among the console users; a cookie by its session.
/// A disabled user is refused. A state-changing request made with a session
/// cookie must also pass `CSRFCheck`.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ControllerRequestContext
    /// The bootstrap admin token.
    let adminToken: String
    let store: any ConsoleAccountStore
    let sessions: SessionCookies
    let clock: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        if let token = request.headers[.authorization].flatMap(Self.bearerToken) {
            context.user = try await user(bearerToken: token)
        } else if let session = try await sessions.session(of: request, at: clock()) {
            try await CSRFCheck(sessions: sessions).verify(&request, session: session)
            context.user = session.user
            context.session = session
        } else if request.cookies[SessionCookies.name] != nil {
            throw HTTPError(.unauthorized, message: SessionCookies.ended)
        } else {
            throw HTTPError(.unauthorized, message: Self.missingToken)
        }
        return try await next(request, context)
    }

    private func user(bearerToken token: String) async throws -> ConsoleUser {
        if ConstantTime.equal(token, adminToken) { return .bootstrapAdmin }
        guard let user = try await store.user(bearerToken: token) else {
            throw HTTPError(.unauthorized, message: Self.missingToken)
        }
        guard user.isActive else {
            throw HTTPError(
                .unauthorized,
                message: "Tài khoản '\(user.name)' đã bị khóa (user '\(user.name)' is disabled); ask an admin for a new account")
        }
        return user
    }

    static let missingToken =
        "Thiếu hoặc sai mã truy cập (missing or wrong API token); send Authorization: Bearer TOKEN (the token file from `loa user add`, or the controller's api-token), or log in at POST /login"

    /// The token of a `Bearer` authorization value (the scheme in any case).
    static func bearerToken(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
