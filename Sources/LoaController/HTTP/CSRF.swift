import Foundation
import HTTPTypes
import Hummingbird
import LoaProtocol
import LoaStore

/// Cross-site request forgery protection for requests authenticated by the
/// session cookie (a bearer token is no ambient credential and needs none):
/// every POST, PUT, PATCH and DELETE must carry the session's CSRF token in the
/// `X-CSRF-Token` header or a `csrf` form field, and must not come from another
/// `Origin`.
struct CSRFCheck {
    /// The header the console sends the token in.
    static let header = HTTPField.Name("X-CSRF-Token")!
    /// The form field a plain HTML form sends it in.
    static let formField = "csrf"
    /// Largest form body read looking for the field.
    static let maximumForm = 1024 * 1024

    let sessions: SessionCookies

    /// True for the methods that change state.
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        [.post, .put, .patch, .delete].contains(method)
    }

    /// Passes a safe request, or a state-changing one from the controller's own origin
    /// with the session's token; the form body, when read, stays readable for the route.
    /// - Throws: `HTTPError` 403 naming what is missing.
    func verify(_ request: inout Request, session: ConsoleSession) async throws {
        guard Self.changesState(request.method) else { return }
        try sessions.checkOrigin(request)
        guard let sent = try await token(in: &request), ConstantTime.equal(sent, session.csrfToken) else {
            throw HTTPError(
                .forbidden,
                message: "Thiếu hoặc sai mã chống giả mạo (missing or wrong CSRF token); send the csrfToken from POST /login or GET /api/v1/me in the X-CSRF-Token header")
        }
    }

    private func token(in request: inout Request) async throws -> String? {
        if let header = request.headers[Self.header] { return header }
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            return nil
        }
        let body = try await request.collectBody(upTo: Self.maximumForm)
        return FormFields(String(buffer: body))[Self.formField]
    }
}

/// The fields of an `application/x-www-form-urlencoded` body.
struct FormFields {
    private var values: [String: String] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
