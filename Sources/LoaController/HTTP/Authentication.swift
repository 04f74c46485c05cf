public import Hummingbird
import Foundation
public import LoaStore

/// The request context of the controller's HTTP server: Hummingbird's core
/// values and the user the bearer token belongs to.
public struct ControllerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who sent the request; set by `AuthenticationMiddleware` on `/api/v1`, nil elsewhere.
    public var user: ConsoleUser?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
    }
}

/// Refuses API requests without a valid `Authorization: Bearer <token>` and
/// puts the token's user into the context: the bootstrap token (`api-token`,
/// compared in constant time) is the `admin` user; any other token is looked
/// up by its SHA-256 among the console users. A disabled user is refused.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ControllerRequestContext
    /// The bootstrap admin token.
    let adminToken: String
    let store: ControllerStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers[.authorization].flatMap(Self.bearerToken) else {
            throw HTTPError(.unauthorized, message: Self.missingToken)
        }
        var context = context
        if Self.constantTimeEqual(token, adminToken) {
            context.user = .bootstrapAdmin
        } else if let user = try store.user(bearerToken: token) {
            guard user.isActive else {
                throw HTTPError(
                    .unauthorized,
                    message: "Tài khoản '\(user.name)' đã bị khóa (user '\(user.name)' is disabled); ask an admin for a new account")
            }
            context.user = user
        } else {
            throw HTTPError(.unauthorized, message: Self.missingToken)
        }
        return try await next(request, context)
    }

    static let missingToken =
        "Thiếu hoặc sai mã truy cập (missing or wrong API token); send Authorization: Bearer TOKEN (the token file from `loa user add`, or the controller's api-token)"

    /// The token of a `Bearer` authorization value (the scheme in any case).
    static func bearerToken(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Compares without stopping at the first difference, so timing tells nothing of the token.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
