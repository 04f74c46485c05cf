import Foundation
import Hummingbird
import LoaProtocol
import LoaStore
import Synchronization

/// `POST /login` and `POST /logout`: console sessions from a name and password.
struct LoginRoutes: Sendable {
    /// What `POST /login` takes, as JSON or as a form.
    struct Credentials: Decodable {
        var name: String
        var password: String
    }

    /// What `POST /login` answers: the token to echo on state-changing requests, and who logged in.
    struct LoginAnswer: Encodable {
        var csrfToken: String
        var user: ScheduleAPI.Caller
    }

    let store: any ConsoleAccountStore
    let sessions: SessionCookies
    let clock: @Sendable () -> Date
    private let throttle = ThrottleState()

    init(store: any ConsoleAccountStore, sessions: SessionCookies, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.sessions = sessions
        self.clock = clock
    }

    static let wrongCredentials = "Tên đăng nhập hoặc mật khẩu không đúng (wrong name or password)"

    func add(to router: Router<ControllerRequestContext>) {
        router.post("login") { request, context in try await login(request, context) }
        router.post("logout") { request, context in try await logout(request, context) }
    }

    /// A wait as an officer reads it: whole minutes from a minute on, else seconds.
    static func vietnameseWait(_ seconds: Int) -> String { seconds >= 60 ? "\((seconds + 59) / 60) phút" : "\(seconds) giây" }
    static func englishWait(_ seconds: Int) -> String {
        seconds >= 60 ? "\((seconds + 59) / 60) min" : "\(seconds) s"
    }

    private func login(_ request: Request, _ context: ControllerRequestContext) async throws -> Response {
        try sessions.checkOrigin(request)
        let credentials = try await Self.credentials(of: request)
        let now = clock()
        if let wait = throttle.state.withLock({ $0.retryAfter(name: credentials.name, address: context.clientAddress, now: now) }) {
            let seconds = Int(wait.rounded(.up))
            throw HTTPError(
                .tooManyRequests, headers: [.retryAfter: String(seconds)],
                message: "Đăng nhập sai quá nhiều lần; thử lại sau \(Self.vietnameseWait(seconds)) "
                    + "(too many failed logins; try again in \(Self.englishWait(seconds)))")
        }
        guard let user = try await store.user(named: credentials.name, password: credentials.password) else {
            throttle.state.withLock { $0.recordFailure(name: credentials.name, address: context.clientAddress, now: now) }
            try await store.recordAudit(ConsoleAuditEntry(
                at: now, action: .loginFailed, subject: String(credentials.name.prefix(100)), clientAddress: context.clientAddress))
            throw HTTPError(.unauthorized, message: Self.wrongCredentials)
        }
        let started = try await store.startSession(for: user, clientAddress: context.clientAddress, at: now)
        var response = try ControllerRouter.json(LoginAnswer(csrfToken: started.session.csrfToken, user: .init(user)))
        response.setCookie(sessions.cookie(for: started.id))
        return response
    }

    private func logout(_ request: Request, _ context: ControllerRequestContext) async throws -> Response {
        var request = request
        if let session = try await sessions.session(of: request, at: clock()), let id = request.cookies[SessionCookies.name]?.value {
            try await CSRFCheck(sessions: sessions).verify(&request, session: session)
            try await store.endSession(id: id, clientAddress: context.clientAddress, at: clock())
        }
        var response = Response(status: .noContent)
        response.setCookie(sessions.clearingCookie())
        return response
    }

    private static func credentials(of request: Request) async throws -> Credentials {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let fields = FormFields(String(buffer: body))
            if let name = fields["name"], let password = fields["password"] { return Credentials(name: name, password: password) }
        } else if let credentials = try? JSONDecoder().decode(Credentials.self, from: Data(body.readableBytesView)) {
            return credentials
        }
        throw HTTPError(
            .badRequest,
            message: "Cần tên đăng nhập và mật khẩu (give name and password, as JSON or an application/x-www-form-urlencoded form)")
    }
}

/// A login throttle shared by the requests of one controller (the console's, the province console's).
final class ThrottleState: Sendable {
    let state = Mutex(LoginThrottle())
}
