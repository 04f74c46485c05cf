import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The console's pages and the delivery read model over HTTP, without a browser:
/// language, security headers, who may open what, CSRF on forms, and
/// `GET /api/v1/deliveries/:item`.
@Suite("Web console routes and the deliveries API", .serialized)
struct ConsoleRoutesTests {
    static let password = "mật khẩu thử nghiệm"

    struct Page {
        var status: Int
        var html: String
        var headers: [AnyHashable: Any]
        func header(_ name: String) -> String? { headers.first { ($0.key as? String)?.lowercased() == name.lowercased() }?.value as? String }
    }

    /// `GET base+path` (redirects followed), with the session cookie when given.
    static func get(_ commune: Commune, _ path: String, cookie: String? = nil, bearer: String? = nil) async throws -> Page {
        try await get(port: commune.httpPort, path, cookie: cookie, bearer: bearer)
    }

    /// `GET path` on the controller listening on `port`.
    static func get(port: Int, _ path: String, cookie: String? = nil, bearer: String? = nil) async throws -> Page {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        if let cookie { request.setValue("loa_session=\(cookie)", forHTTPHeaderField: "Cookie") }
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        let client = SessionClient(base: URL(string: "http://127.0.0.1:\(port)")!)
        let (data, response) = try await client.session.data(for: request)
        let http = response as? HTTPURLResponse
        return Page(status: http?.statusCode ?? 0, html: String(decoding: data, as: UTF8.self), headers: http?.allHeaderFields ?? [:])
    }

    /// Logs `name` in through `POST /login`; the session cookie's value.
    static func logIn(_ commune: Commune, _ name: String) async throws -> String {
        try await logIn(port: commune.httpPort, name)
    }

    /// Logs `name` in on the controller listening on `port`; the session cookie's value.
    static func logIn(port: Int, _ name: String) async throws -> String {
        let client = SessionClient(base: URL(string: "http://127.0.0.1:\(port)")!)
        let answer = try await client.call("POST", "login", body: Data(#"{"name":"\#(name)","password":"\#(password)"}"#.utf8))
        #expect(answer.status == 200, "\(answer.text)")
        let cookie = try #require(answer.setCookie?.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        return String(cookie)
    }

    @Test("pages are Vietnamese with lang=vi by default, English on ?lang=en (remembered), under a strict Content-Security-Policy")
    func languageAndHeaders() async throws {
        let commune = try await Commune()
        let vietnamese = try await Self.get(commune, "/console/login")
        #expect(vietnamese.status == 200)
        #expect(vietnamese.html.contains("<html lang=\"vi\">") && vietnamese.html.contains("Đăng nhập hệ thống loa"))
        let policy = try #require(vietnamese.header("Content-Security-Policy"))
        #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
        #expect(vietnamese.header("X-Content-Type-Options") == "nosniff")
        let english = try await Self.get(commune, "/console/login?lang=en")
        #expect(english.html.contains("<html lang=\"en\">") && english.html.contains("Log in to the loudspeaker system"))
        #expect(english.header("Set-Cookie")?.contains("loa_lang=en") == true)
        // Text is escaped: a hamlet-like value in the query cannot open a tag.
        let hostile = try await Self.get(commune, "/console/login?next=%2Fconsole%2F%22%3E%3Cscript%3E")
        #expect(!hostile.html.contains("\"><script>"))
        let script = try await Self.get(commune, "/console/assets/console.js")
        #expect(script.status == 200 && script.header("Content-Type")?.hasPrefix("text/javascript") == true)
        await commune.stop()
    }

    @Test("signed out → the login page; an officer may not open the approvals queue; a form POST needs the CSRF token")
    func accessAndCSRF() async throws {
        let commune = try await Commune()
        _ = try await commune.controller.store.addUser(
            name: "can-bo-vh", displayName: "Cán bộ văn hóa", roles: [.officer], password: Self.password, at: Date())
        let signedOut = try await Self.get(commune, "/console/dashboard")
        #expect(signedOut.html.contains("id=\"login-form\"") && signedOut.html.contains("data-next=\"/console/dashboard\""))
        let cookie = try await Self.logIn(commune, "can-bo-vh")
        let dashboard = try await Self.get(commune, "/console/dashboard", cookie: cookie)
        #expect(dashboard.status == 200 && dashboard.html.contains("Cán bộ văn hóa"))
        #expect(!dashboard.html.contains("href=\"/console/approvals\""), "the navigation offers only what the role may do")
        let approvals = try await Self.get(commune, "/console/approvals", cookie: cookie)
        #expect(approvals.status == 403 && approvals.html.contains("Lãnh đạo duyệt"))
        let logCSV = try await Self.get(commune, "/console/logs?download=log-csv", cookie: cookie)
        // For a spreadsheet: a byte-order mark, Vietnamese headings, local times.
        #expect(logCSV.header("Content-Type")?.hasPrefix("text/csv") == true && logCSV.html.hasPrefix("\u{FEFF}Số mục,Thời điểm,Sự kiện"), "\(logCSV.html.prefix(80))")
        #expect(logCSV.header("Content-Disposition")?.contains("attachment") == true)
        let reportHTML = try await Self.get(commune, "/console/logs?download=report-html", cookie: cookie)
        #expect(reportHTML.html.contains("<html"), "\(reportHTML.html.prefix(300))")
        let client = SessionClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)")!)
        let forged = try await client.call(
            "POST", "console/announcements", cookie: cookie, body: Data("title=x&action=submit".utf8),
            contentType: "application/x-www-form-urlencoded")
        #expect(forged.status == 403 && forged.text.contains("CSRF"), "\(forged.text)")
        await commune.stop()
    }

    @Test("Vietnamese on the pages: a preview's finding badges and the log filters are words, not codes or '*'")
    func findingsAndFiltersInVietnamese() async throws {
        let commune = try await Commune()
        let store = commune.controller.store
        _ = try await store.addUser(name: "can-bo-vh", displayName: "Cán bộ", roles: [.officer], password: Self.password, at: Date())
        try await commune.controller.programmes.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh")
        let client = SessionClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)")!)
        let login = try await client.call("POST", "login", body: Data(#"{"name":"can-bo-vh","password":"\#(Self.password)"}"#.utf8))
        let cookie = String(try #require(login.setCookie?.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last))
        let csrf = try #require(try JSONSerialization.jsonObject(with: login.body) as? [String: Any])["csrfToken"] as? String

        // A text read at 23:00 tomorrow, inside the night's quiet hours: the preview says so in words.
        let tomorrow = commune.controller.configuration.wallClock.local(Date().addingTimeInterval(86_400)).date
        let preview = try await client.call(
            "POST", "console/announcements", cookie: cookie, csrf: csrf,
            body: Data("title=Ho%CC%A3p+da%CC%82n&kind=text&text=Mo%CC%9Bi+ba%CC%80+con&hamlet-thon-a=on&days=once&date=\(tomorrow)&timing=at&times=23%3A00&action=preview".utf8),
            contentType: "application/x-www-form-urlencoded")
        #expect(preview.status == 200, "\(preview.text.prefix(500))")
        #expect(preview.text.contains(">giờ yên tĩnh</span>") && !preview.text.contains(">quiet-hours</span>"), "\(preview.text)")

        let logs = try await Self.get(commune, "/console/logs", cookie: cookie).html
        #expect(logs.contains("<option value=\"\">Tất cả</option>") && !logs.contains(">*</option>"))
        #expect(logs.contains("<option value=\"finished\">Đã phát xong</option>") && logs.contains("<option value=\"approval\">Phê duyệt</option>"))
        await commune.stop()
    }

    @Test("emergency page: a TEST airs as priority and says so aloud, a LIVE one needs two approvers, CANCEL withdraws it")
    func emergencyTestLiveAndCancel() async throws {
        let commune = try await Commune()
        let store = commune.controller.store
        _ = try await store.addUser(name: "can-bo-vh", displayName: "Cán bộ", roles: [.officer], password: Self.password, at: Date())
        // No quiet hours: the test airs five minutes from now, whatever the hour the test runs at.
        try await commune.controller.programmes.applySchedule(SampleSchedule.make(quietHours: []), sourceFiles: [:], by: "can-bo-vh")
        let client = SessionClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)")!)
        let login = try await client.call("POST", "login", body: Data(#"{"name":"can-bo-vh","password":"\#(Self.password)"}"#.utf8))
        let cookie = String(try #require(login.setCookie?.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last))
        let csrf = try #require(try JSONSerialization.jsonObject(with: login.body) as? [String: Any])["csrfToken"] as? String
        func post(_ path: String, _ fields: String) async throws -> SessionClient.Answer {
            try await client.call(
                "POST", path, cookie: cookie, csrf: csrf, body: Data(fields.utf8), contentType: "application/x-www-form-urlencoded")
        }
        let page = try await Self.get(commune, "/console/emergency", cookie: cookie)
        #expect(page.html.contains("THỬ NGHIỆM") && page.html.contains("THẬT – KHẨN CẤP"))
        #expect(page.html.contains("value=\"test\" checked"), "a test is the default")
        // The sample's flood warning was for 24/11/2026, never approved: no cancel any more, but what became of it.
        #expect(!page.html.contains("id=\"cancel-canh-bao-lu\""), "a warning whose time is over offers no cancel")
        #expect(page.html.contains("không được duyệt kịp"), "it says it was not approved in time")

        let test = try await post("console/emergency", "id=thu-loa&mode=test&title=Th%E1%BB%AD+loa&text=Ki%E1%BB%83m+tra&hamlet-thon-a=on&minutes=5&action=submit")
        #expect(test.status == 200, "\(test.text)")
        let tried = try #require(try await store.activeSchedule()?.schedule.programmes.first { $0.id == "thu-loa" })
        #expect(tried.priority == .priority && tried.title.hasPrefix("[THỬ NGHIỆM]"))
        guard case .text(let spoken) = tried.content else { Issue.record("a test is read aloud"); return }
        #expect(spoken.hasPrefix("Đây là phát thử nghiệm"))

        _ = try await post("console/emergency", "id=lu-that&mode=live&title=L%C5%A9&text=S%C6%A1+t%C3%A1n&hamlet-thon-a=on&hamlet-thon-b=on&minutes=5&action=submit")
        let version = try #require(try await store.activeSchedule()).version
        let live = try #require(try await store.approvalStatus(version: version).first { $0.programmeID == "lu-that" })
        #expect(live.priority == .emergency && live.requiredApprovers == 2)

        let listed = try await Self.get(commune, "/console/emergency", cookie: cookie).html
        #expect(listed.contains("id=\"cancel-lu-that\"") && listed.contains("id=\"cancel-thu-loa\""), "what is still ahead has its cancel ready")
        let cancel = try await post("console/emergency/cancel", "programme=lu-that")
        #expect(cancel.status == 200, "\(cancel.text)")
        #expect(try await store.activeSchedule()?.schedule.programmes.contains { $0.id == "lu-that" } == false)
        #expect(try await store.activeSchedule()?.schedule.programmes.contains { $0.id == "thu-loa" } == true)
        await commune.stop()
    }

    @Test("a draft's preview: its airings, the conflict it adds with a fixed-time programme, and its failed Law 10 check")
    func previewFindsConflictsAndLegalChecks() async throws {
        let commune = try await Commune()
        let controller = commune.controller
        try await controller.programmes.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh")
        let clock = controller.configuration.wallClock
        let tomorrow = clock.local(Date()).date.adding(days: 1)
        // The flood warning of the sample airs at 09:00 on its day; make one at 09:00 tomorrow to clash with.
        var schedule = try #require(try await controller.store.activeSchedule()).schedule
        schedule.programmes[2].recurrence = Recurrence(days: .once(tomorrow), times: .at([LocalTime(hour: 9, minute: 0)!]))
        try await controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
        let draft = ProgrammeDraft(
            title: "Công khai hộ nghèo", category: .disclosure, priority: .normal, content: .text("Danh sách hộ nghèo năm 2026."),
            durationSeconds: 60, hamlets: ["thon-a", "thon-b"],
            recurrence: Recurrence(days: .once(tomorrow), times: .at([LocalTime(hour: 9, minute: 0, second: 10)!])),
            disclosure: Disclosure(item: 7, decisionDate: tomorrow))
        let preview = try await controller.programmes.preview(draft, id: "cong-khai-ho-ngheo")
        #expect(preview.isSubmittable, "\(preview.problems)")
        #expect(Set(preview.airings.map(\.hamlet)) == ["thon-a", "thon-b"])
        #expect(preview.findings.filter { $0.kind == .conflict }.count == 2, "one clash per hamlet: \(preview.findings.map(\.message.en))")
        let days = try #require(preview.legalChecks.first { $0.requirement == .loudspeakerDays })
        #expect(days.outcome == .failed, "item 7 airs on one day, the law wants three")
        // Nothing is stored by a preview; a bad draft names its problems.
        #expect(try await controller.store.activeSchedule()?.schedule.programmes.contains { $0.id == "cong-khai-ho-ngheo" } == false)
        var empty = draft
        empty.hamlets = []
        #expect(try await controller.programmes.preview(empty, id: "x").problems.contains { $0.vi.contains("chọn ít nhất một thôn") })
        // A time in the night's quiet hours: the refusal says so, not "no airing in the next days".
        var night = draft
        night.recurrence = Recurrence(days: .once(tomorrow), times: .at([LocalTime(hour: 23, minute: 0)!]))
        let refused = try await controller.programmes.preview(night, id: "dem-khuya").problems
        #expect(refused.map(\.vi) == ["Giờ phát rơi vào giờ yên tĩnh (21:30–05:00): khi đó chỉ tin khẩn cấp được phát; hãy chọn giờ khác"],
                "\(refused)")
        await commune.stop()
    }

    @Test("an approver rejects a waiting programme with a reason: it leaves the schedule, the officer reads why; an approved one cannot be rejected")
    func rejectWithReason() async throws {
        let commune = try await Commune()
        let desk = commune.controller.programmes
        try await desk.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh")
        let version = try #require(try await commune.controller.store.activeSchedule()).version
        try await desk.approve(version: version, programmeIDs: ["hoi-nghi-doi-thoai"], by: "chu-tich")
        await #expect(throws: ControllerError.self, "a reason is required") {
            try await desk.reject(version: version, programme: "tuyen-truyen-mo-hinh", reason: "  ", by: "chu-tich")
        }
        await #expect(throws: ControllerError.self, "an approved programme is cancelled, not rejected") {
            try await desk.reject(version: version, programme: "hoi-nghi-doi-thoai", reason: "Không cần nữa", by: "chu-tich")
        }
        try await desk.reject(version: version, programme: "tuyen-truyen-mo-hinh", reason: "Nội dung cần cập nhật số liệu mới.", by: "chu-tich")
        let active = try #require(try await commune.controller.store.activeSchedule())
        #expect(active.version == version + 1 && !active.schedule.programmes.contains { $0.id == "tuyen-truyen-mo-hinh" })
        await #expect(throws: ControllerError.self, "a rejection against a version no longer active is refused") {
            try await desk.reject(version: version, programme: "canh-bao-lu", reason: "Đã cũ", by: "chu-tich")
        }
        let rejections = try await desk.rejections()
        #expect(rejections.map(\.title) == ["Chính quyền thân thiện, vì Nhân dân phục vụ"])
        #expect(rejections.first?.reason == "Nội dung cần cập nhật số liệu mới." && rejections.first?.by == "chu-tich")
        await commune.stop()
    }

    @Test("GET /api/v1/deliveries/:item: per hamlet and receiver, finished, failed or waiting; operators and officers yes, the admin no")
    func deliveriesAPI() async throws {
        let commune = try await Commune()
        let store = commune.controller.store
        let operatorToken = try await store.addUser(name: "ky-thuat", displayName: "Kỹ thuật", roles: [.operator], at: Date()).token
        let officerToken = try await store.addUser(name: "can-bo", displayName: "Cán bộ", roles: [.officer], at: Date()).token
        let broadcast = "tb-20261124-abc123@2026-11-24/0930"
        let at = Date()
        func event(_ device: String, _ zone: String, _ kind: DeviceEvent.Kind, reason: String? = nil) -> (DeviceEvent, Date) {
            (DeviceEvent(
                id: UUID().uuidString, device: device, site: commune.site.id, zone: zone, item: "\(broadcast)@\(zone)", kind: kind,
                at: at, measuredStartAt: kind == .started ? at : nil, startOffsetMs: kind == .started ? 1.5 : nil,
                playedMs: kind == .finished ? 4000 : nil, reason: reason), at)
        }
        try await store.record([
            event("loa-a1", "thon-a", .received), event("loa-a1", "thon-a", .started), event("loa-a1", "thon-a", .finished),
            event("loa-a2", "thon-a", .received),
            event("loa-b1", "thon-b", .failed, reason: "tải âm thanh lỗi (download failed)"),
        ])
        let encoded = broadcast.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let answer = try await Self.get(commune, "/api/v1/deliveries/\(encoded)", bearer: operatorToken)
        #expect(answer.status == 200, "\(answer.html)")
        let delivery = try WireCoding.decode(BroadcastDelivery.self, from: Data(answer.html.utf8))
        #expect(delivery.broadcast == broadcast)
        let states = Dictionary(uniqueKeysWithValues: delivery.hamlets.flatMap(\.receivers).map { ($0.device, $0.state) })
        #expect(states == ["loa-a1": .finished, "loa-a2": .received, "loa-b1": .failed])
        #expect(delivery.hamlets.map(\.hamlet) == ["thon-a", "thon-b"])
        #expect(!delivery.isSettled, "loa-a2 has not played yet")
        // One hamlet's item names the same broadcast.
        let byItem = try await Self.get(commune, "/api/v1/deliveries/\("\(broadcast)@thon-b".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", bearer: operatorToken)
        #expect(try WireCoding.decode(BroadcastDelivery.self, from: Data(byItem.html.utf8)).broadcast == broadcast)
        let officer = try await Self.get(commune, "/api/v1/deliveries/\(encoded)", bearer: officerToken)
        #expect(officer.status == 200)
        let admin = try APIToken.load(from: APIToken.file(in: commune.controller.configuration.dataDirectory))
        #expect(try await Self.get(commune, "/api/v1/deliveries/\(encoded)", bearer: admin).status == 403)
        #expect(try await Self.get(commune, "/api/v1/deliveries/khong-co", bearer: operatorToken).status == 404)
        await commune.stop()
    }
}
