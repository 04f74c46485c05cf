import Foundation
import HTTPTypes
import LoaController
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import Testing

/// The province's web console (`/province`) through the controllers' routers, on the
/// province's PostgreSQL database: sign-in, a proposal to chosen communes, two
/// approvals on different controllers, the communes' take-up followed, withdrawal.
@Suite("The province's web console (PostgreSQL, no network)")
struct ProvinceConsoleTests {
    static let password = "Bão số mười 2026 tỉnh"
    static let anPhu = Site(id: "xa-an-phu", name: "Xã An Phú", hamlets: Commune.testSite.hamlets)

    /// A browser on one controller: the province cookie it was given, forms posted as HTML forms.
    struct Browser {
        let client: RouterClient<ControllerRequestContext>
        var cookie: String?

        func get(_ path: String) async throws -> RouterClient<ControllerRequestContext>.Reply {
            var headers: HTTPFields = [:]
            if let cookie { headers[.cookie] = "\(ProvinceSessionAccess.cookieName)=\(cookie)" }
            return try await client.send(.get, path, headers: headers)
        }

        func post(_ path: String, _ fields: [(String, String)], origin: String? = nil) async throws -> RouterClient<ControllerRequestContext>.Reply {
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if let cookie { headers[.cookie] = "\(ProvinceSessionAccess.cookieName)=\(cookie)" }
            if let origin { headers[.origin] = origin }
            let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            return try await client.send(.post, path, headers: headers, body: Data(body.utf8))
        }

        /// Signs `name` in; the browser now carries the session's cookie.
        mutating func signIn(_ name: String, password: String = ProvinceConsoleTests.password) async throws {
            let reply = try await post("/province/login", [("name", name), ("password", password)])
            #expect(reply.status == 303 && reply.headers[.location] == "/province", "\(reply.status) \(reply.text)")
            let setCookie = try #require(reply.headers[.setCookie])
            #expect(setCookie.contains("Path=/province") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            cookie = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        }
    }

    /// The value of the hidden field `name` in a page's first form that has it.
    static func hidden(_ name: String, in html: String) throws -> String {
        let match = try #require(html.firstMatch(of: try Regex("name=\"\(name)\" value=\"([^\"]+)\"")))
        return try #require(match.output[1].substring.map(String.init))
    }

    @Test("an officer proposes to chosen communes, two other approvers approve on two controllers, the page follows each commune; a form posted twice stores once")
    func proposeApproveFollow() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-province-console")
        defer { folder.remove() }
        let settings = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        let first = try await RoutedController(store: settings)
        let other = try await RoutedController(site: Self.anPhu, store: settings)
        defer { for routed in [first, other] { routed.directory.remove() } }
        for routed in [first, other] {
            try await routed.controller.programmes.applySchedule(
                SampleSchedule.make(site: routed.controller.configuration.site.id), sourceFiles: [:], by: "can-bo-vh")
        }
        let province = try await PostgresProvince(connection: try #require(try first.controller.configuration.postgresConnection()))
        defer { province.close() }
        for (name, role) in [("so-ttt", ProvinceUser.Role.officer), ("pho-chu-tich", .approver), ("chanh-van-phong", .approver)] {
            try await province.addProvinceUser(ProvinceUser(name: name, displayName: "Tỉnh \(name)", roles: [role]), password: Self.password, at: Date())
        }

        // Signed out: the sign-in page; a wrong password is told so, in Vietnamese.
        var officer = Browser(client: first.client)
        #expect(try await officer.get("/province").headers[.location] == "/province/login")
        let wrong = try await officer.post("/province/login", [("name", "so-ttt"), ("password", "sai")])
        #expect(wrong.status == 401 && wrong.text.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
        #expect(try await officer.post("/province/login", [("name", "so-ttt"), ("password", Self.password)], origin: "http://evil.example").status == 403)
        try await officer.signIn("so-ttt")

        // The form offers the communes whose controllers run on the database.
        let desk = try await officer.get("/province")
        #expect(desk.status == 200 && desk.text.contains("<html lang=\"vi\">") && desk.text.contains("Soạn tin khẩn cấp cho nhiều xã"))
        #expect(desk.text.contains("Xã An Phú") && desk.text.contains("name=\"commune-\(Commune.testSite.id)\""))
        let csrf = try Self.hidden("csrf", in: desk.text)
        let id = try Self.hidden("id", in: desk.text)
        let proposal = [
            ("csrf", csrf), ("id", id), ("title", "Cảnh báo bão số 10"), ("text", "Bão số 10 sắp đổ bộ. Bà con không ra khơi."),
            ("commune-\(Commune.testSite.id)", "on"), ("commune-xa-an-phu", "on"), ("minutes", "15"),
        ]
        #expect(try await officer.post("/province/emergencies", proposal.filter { $0.0 != "csrf" }).status == 403, "no CSRF token")
        let untitled = try await officer.post("/province/emergencies", proposal.map { $0.0 == "title" ? ("title", "") : $0 })
        #expect(untitled.status == 422 && untitled.text.contains("Tiêu đề: cần từ 1 đến") && untitled.text.contains("Bão số 10 sắp đổ bộ"))
        #expect(try await province.recentProvinceEmergencies(limit: 10).isEmpty, "nothing stored from a refused form")

        let proposed = try await officer.post("/province/emergencies", proposal)
        #expect(proposed.status == 303 && proposed.headers[.location] == "/province/emergencies/\(id)?done=proposed")
        #expect(try await officer.post("/province/emergencies", proposal).headers[.location] == "/province/emergencies/\(id)", "posted twice")
        let stored = try await province.recentProvinceEmergencies(limit: 10)
        #expect(stored.count == 1 && Set(stored.first?.communes ?? []) == [Commune.testSite.id, "xa-an-phu"] && stored.first?.proposedBy == "so-ttt")
        let asProposer = try await officer.get("/province/emergencies/\(id)?done=proposed")
        #expect(asProposer.text.contains("Chờ duyệt 0/2") && asProposer.text.contains("Đã gửi đề xuất") && !asProposer.text.contains("/approve\""))

        // Two approvers, each on another controller: the second approval sends it.
        var deputy = Browser(client: other.client)
        try await deputy.signIn("pho-chu-tich")
        let page = try await deputy.get("/province/emergencies/\(id)")
        #expect(page.text.contains("action=\"/province/emergencies/\(id)/approve\""))
        // What they approve can be heard first, read as the loudspeakers will read it.
        #expect(page.text.contains("<audio controls preload=\"none\" src=\"/province/emergencies/\(id)/speech\">"))
        let speech = try await deputy.get("/province/emergencies/\(id)/speech")
        let spoken = try await other.controller.media.speech(for: "Bão số 10 sắp đổ bộ. Bà con không ra khơi.")
        #expect(speech.status == 200 && speech.headers[.contentType] == "audio/wav" && MediaDigest.sha256(speech.body) == spoken.sha256)
        #expect(try await Browser(client: other.client).get("/province/emergencies/\(id)/speech").status == 302, "signed out: nothing to hear")
        let once = try await deputy.post("/province/emergencies/\(id)/approve", [("csrf", try Self.hidden("csrf", in: page.text))])
        #expect(once.headers[.location] == "/province/emergencies/\(id)?done=approved")
        let again = try await deputy.post("/province/emergencies/\(id)/approve", [("csrf", try Self.hidden("csrf", in: page.text))])
        #expect(again.status == 409 && again.text.contains("đã duyệt tin này rồi"))
        #expect(try await first.controller.provinceIntake?.takeUp() == [], "one approval sends nothing")

        var chief = Browser(client: first.client)
        try await chief.signIn("chanh-van-phong")
        let chiefPage = try await chief.get("/province/emergencies/\(id)")
        let twice = try await chief.post("/province/emergencies/\(id)/approve", [("csrf", try Self.hidden("csrf", in: chiefPage.text))])
        #expect(twice.headers[.location] == "/province/emergencies/\(id)?done=sent")
        #expect(try await first.controller.provinceIntake?.takeUp() == [id])
        #expect(try await other.controller.provinceIntake?.takeUp() == [id])

        // Followed: both communes took it up; the list counts them.
        let followed = try await chief.get("/province/emergencies/\(id)?lang=en")
        #expect(followed.text.contains("Approved, sending") && !followed.text.contains(">not yet<"), "\(followed.text)")
        #expect(try await chief.get("/province").text.contains("2/2"))

        // Withdrawn by the officer; signed out, the cookie opens nothing.
        let withdrawn = try await officer.post("/province/emergencies/\(id)/withdraw", [("csrf", csrf)])
        #expect(withdrawn.headers[.location] == "/province/emergencies/\(id)?done=withdrawn")
        #expect(try await province.provinceEmergency(id: id)?.cancelledBy == "so-ttt")
        #expect(try await officer.post("/province/logout", [("csrf", csrf)]).status == 303)
        #expect(try await officer.get("/province").headers[.location] == "/province/login")
    }

    @Test("on SQLite the province's pages say what they need; a commune's session opens no province page")
    func sqliteAndCommuneSessions() async throws {
        let routed = try await RoutedController()
        defer { routed.directory.remove() }
        let page = try await routed.client.get("/province/login")
        #expect(page.status == 404 && page.text.contains("PostgreSQL"))

        let folder = try TemporaryDirectory(prefix: "loa-province-console")
        defer { folder.remove() }
        let onPostgres = try await RoutedController(store: try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password")))
        defer { onPostgres.directory.remove() }
        _ = try await onPostgres.controller.store.addUser(
            name: "lanh-dao", displayName: "Lãnh đạo xã", roles: [.approver], password: Self.password, at: Date())
        let login = try await onPostgres.client.post("/login", json: ["name": "lanh-dao", "password": Self.password])
        let communeCookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        let refused = try await onPostgres.client.send(.get, "/province", headers: [.cookie: communeCookie])
        #expect(refused.status == 302 && refused.headers[.location] == "/province/login")
        let browser = Browser(client: onPostgres.client)
        let wrong = try await browser.post("/province/login", [("name", "lanh-dao"), ("password", Self.password)])
        #expect(wrong.status == 401, "a commune account is no province account")
    }
}
