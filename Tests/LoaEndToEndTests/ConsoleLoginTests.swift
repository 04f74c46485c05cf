import Foundation
import LoaController
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Console sessions over HTTP on a running controller: the login cookie, CSRF
/// and origin checks, expiry on the controller's clock, logout, disabling, the
/// login throttle and the audit trail.
@Suite("Console login, sessions and CSRF over HTTP", .serialized)
struct ConsoleLoginTests {
    static let password = "mật khẩu của cán bộ"

    /// A running commune whose controller runs on `clock`, with an officer who has a password.
    struct Setup {
        let clock = TestClock(Date())
        let commune: Commune
        let client: SessionClient

        init() async throws {
            commune = try await Commune(clock: clock.function)
            client = SessionClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)")!)
            _ = try await commune.controller.store.addUser(
                name: "can-bo-vh", displayName: "Cán bộ văn hóa", roles: [.officer], password: ConsoleLoginTests.password, at: Date())
        }

        /// Logs in as the officer and returns the cookie's value and the CSRF token.
        func login() async throws -> (cookie: String, csrf: String) {
            let answer = try await client.call(
                "POST", "login", body: Data(#"{"name":"can-bo-vh","password":"\#(ConsoleLoginTests.password)"}"#.utf8))
            #expect(answer.status == 200, "\(answer.text)")
            let cookie = try #require(answer.setCookie?.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
            let csrf = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])["csrfToken"] as? String
            return (String(cookie), try #require(csrf))
        }
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie; GET works with it; a POST needs the CSRF token and the right origin")
    func sessionAndCSRF() async throws {
        let setup = try await Setup()
        let answer = try await setup.client.call(
            "POST", "login", body: Data("name=can-bo-vh&password=\(Self.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)".utf8),
            contentType: "application/x-www-form-urlencoded")
        #expect(answer.status == 200, "\(answer.text)")
        let setCookie = try #require(answer.setCookie)
        #expect(setCookie.hasPrefix("loa_session=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        #expect(setCookie.contains("Path=/") && !setCookie.contains("Secure"), "\(setCookie)")

        let (cookie, csrf) = try await setup.login()
        #expect(cookie.count == 64)
        let me = try await setup.client.call("GET", "api/v1/me", cookie: cookie)
        #expect(me.status == 200)
        let caller = try WireCoding.decode(ScheduleAPI.Caller.self, from: me.body)
        #expect(caller.name == "can-bo-vh" && caller.csrfToken == csrf)

        let audio = try sampleAudio("chime.wav")
        let bare = try await setup.client.call("POST", "api/v1/media", cookie: cookie, body: audio, contentType: "application/octet-stream")
        #expect(bare.status == 403 && bare.text.contains("CSRF"), "\(bare.text)")
        let wrong = try await setup.client.call(
            "POST", "api/v1/media", cookie: cookie, csrf: ConsoleToken.generate(), body: audio, contentType: "application/octet-stream")
        #expect(wrong.status == 403)
        let foreign = try await setup.client.call(
            "POST", "api/v1/media", cookie: cookie, csrf: csrf, origin: "http://evil.example", body: audio,
            contentType: "application/octet-stream")
        #expect(foreign.status == 403 && foreign.text.contains("evil.example"), "\(foreign.text)")
        let own = try await setup.client.call(
            "POST", "api/v1/media", cookie: cookie, csrf: csrf, origin: "http://127.0.0.1:\(setup.commune.httpPort)", body: audio,
            contentType: "application/octet-stream")
        #expect(own.status == 201, "\(own.text)")
        let forbidden = try await setup.client.call("POST", "api/v1/log/checkpoint", cookie: cookie, csrf: csrf)
        #expect(forbidden.status == 403 && forbidden.text.contains("cần vai trò (needs role)"), "role checks apply to sessions")
        await setup.commune.stop()
    }

    @Test("a session idle for 30 minutes on the controller's clock is 401; logout and disabling the user end one")
    func sessionEnds() async throws {
        let setup = try await Setup()
        let idle = try await setup.login()
        setup.clock.set(setup.clock.now + 29 * 60)
        #expect(try await setup.client.call("GET", "api/v1/me", cookie: idle.cookie).status == 200)
        setup.clock.set(setup.clock.now + 31 * 60)
        let expired = try await setup.client.call("GET", "api/v1/me", cookie: idle.cookie)
        #expect(expired.status == 401 && expired.text.contains("hết hạn"), "\(expired.text)")

        let loggedIn = try await setup.login()
        let noToken = try await setup.client.call("POST", "logout", cookie: loggedIn.cookie)
        #expect(noToken.status == 403, "logout needs the CSRF token too")
        let out = try await setup.client.call(
            "POST", "logout", cookie: loggedIn.cookie, body: Data("csrf=\(loggedIn.csrf)".utf8),
            contentType: "application/x-www-form-urlencoded")
        #expect(out.status == 204 && out.setCookie?.contains("Max-Age=0") == true, "\(out.text)")
        #expect(try await setup.client.call("GET", "api/v1/me", cookie: loggedIn.cookie).status == 401)

        let other = try await setup.login()
        try await setup.commune.controller.store.disableUser(named: "can-bo-vh", at: setup.clock.now)
        #expect(try await setup.client.call("GET", "api/v1/me", cookie: other.cookie).status == 401)
        let relogin = try await setup.client.call(
            "POST", "login", body: Data(#"{"name":"can-bo-vh","password":"\#(Self.password)"}"#.utf8))
        #expect(relogin.status == 401 && relogin.text.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
        await setup.commune.stop()
    }

    @Test("five failed logins lock the name from that address with 429, Retry-After and the wait in minutes, the right password included; others behind the address still log in; the audit trail has them")
    func throttleAndAudit() async throws {
        let setup = try await Setup()
        _ = try await setup.login()
        for _ in 0..<5 {
            let failed = try await setup.client.call("POST", "login", body: Data(#"{"name":"can-bo-vh","password":"doan-sai-mat-khau"}"#.utf8))
            #expect(failed.status == 401 && failed.text.contains("Tên đăng nhập hoặc mật khẩu không đúng (wrong name or password)"))
        }
        let colleague = try await setup.client.call("POST", "login", body: Data(#"{"name":"khong-co","password":"doan-sai-mat-khau"}"#.utf8))
        #expect(colleague.status == 401, "one person's mistakes do not lock the office's address: \(colleague.text)")
        let locked = try await setup.client.call(
            "POST", "login", body: Data(#"{"name":"can-bo-vh","password":"\#(Self.password)"}"#.utf8))
        #expect(locked.status == 429)
        #expect(locked.text.contains("thử lại sau 15 phút") && locked.text.contains("try again in 15 min"), "\(locked.text)")
        #expect(locked.retryAfter.flatMap(Int.init).map { (1...900).contains($0) } == true, "\(String(describing: locked.retryAfter))")
        setup.clock.set(setup.clock.now + 15 * 60 + 1)
        #expect(try await setup.client.call(
            "POST", "login", body: Data(#"{"name":"can-bo-vh","password":"\#(Self.password)"}"#.utf8)).status == 200)

        let trail = try await setup.commune.controller.store.auditTrail()
        let failures = trail.filter { $0.action == .loginFailed }
        #expect(failures.count == 6 && failures.filter { $0.subject == "can-bo-vh" }.count == 5)
        #expect(failures.allSatisfy { $0.clientAddress == "127.0.0.1" })
        #expect(trail.filter { $0.action == .loginSucceeded && $0.actor == "can-bo-vh" }.count == 2)
        #expect(try await setup.commune.controller.store.logEntries(matching: LogQuery(kinds: ["login"])).isEmpty)
        await setup.commune.stop()
    }
}

/// Calls the controller over HTTP with an explicit cookie (no cookie jar), returning whatever the status.
struct SessionClient {
    let base: URL
    let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()

    struct Answer {
        var status: Int
        var body: Data
        var setCookie: String?
        var retryAfter: String?
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func call(
        _ method: String, _ path: String, cookie: String? = nil, csrf: String? = nil, origin: String? = nil, body: Data? = nil,
        contentType: String = "application/json"
    ) async throws -> Answer {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = method
        if let cookie { request.setValue("loa_session=\(cookie)", forHTTPHeaderField: "Cookie") }
        if let csrf { request.setValue(csrf, forHTTPHeaderField: "X-CSRF-Token") }
        if let origin { request.setValue(origin, forHTTPHeaderField: "Origin") }
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        return Answer(
            status: http?.statusCode ?? 0, body: data, setCookie: http?.value(forHTTPHeaderField: "Set-Cookie"),
            retryAfter: http?.value(forHTTPHeaderField: "Retry-After"))
    }
}
