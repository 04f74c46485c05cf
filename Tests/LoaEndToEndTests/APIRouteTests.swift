import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaProtocol
import LoaProvisioning
import LoaReports
import LoaStore
import LoaHarness
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The API's routes added for the console and other systems, over HTTP on a running
/// controller: hamlets, filtered events and log, reports, users and the audit trail.
/// Each: the happy path, 401 without a user, 403 for every role that may not.
@Suite("API routes: hamlets, events, log, reports, users, audit", .serialized)
struct APIRouteTests {
    typealias Setup = ScheduleAPITests.Setup

    @Test("each new route admits exactly the roles it names, the others get 403, no user gets 401")
    func roleMatrix() async throws {
        let setup = try await Setup()
        let everyone: Set = ["admin", "can-bo-vh", "chu-tich", "ky-thuat", "mat-tran"]
        let newUser = { (name: String) in
            try WireCoding.encode(UserAPI.AddRequest(name: name, displayName: "Người thử", roles: ["auditor"]))
        }
        let plan = try WireCoding.encode(PlanAPI.Request(files: ["site.yaml": "site: {}"]))
        let routes: [(String, String, Data?, Set<String>)] = [
            ("GET", "hamlets", nil, everyone),
            ("GET", "events?kind=finished", nil, ["ky-thuat", "mat-tran", "admin"]),
            ("GET", "log?format=csv", nil, ["ky-thuat", "mat-tran", "admin"]),
            ("GET", "reports", nil, ["can-bo-vh", "chu-tich", "mat-tran"]),
            ("POST", "schedules/plan", plan, ["can-bo-vh", "chu-tich"]),
            ("GET", "users", nil, ["admin"]),
            ("POST", "users", nil, ["admin"]),
            ("POST", "users/pho-chu-tich/disable", nil, ["admin"]),
            ("GET", "audit", nil, ["admin"]),
            ("POST", "notice-attachments", Data("%PDF-1.4 thông báo".utf8), ["can-bo-vh", "chu-tich", "admin"]),
        ]
        for (method, path, body, allowed) in routes {
            let (anonymous, _) = try await setup.api.call(method, path, token: nil, body: body)
            #expect(anonymous == 401, "\(method) \(path) without a user: \(anonymous)")
            for user in everyone.sorted() {
                let sent = path == "users" && method == "POST" ? try newUser("nguoi-\(user)") : body
                // The plan of a broken file is a 422 with diagnostics: the route was reached.
                try await setup.expectRole(
                    user, may: allowed.contains(user), method, path, body: sent, reached: path == "schedules/plan" ? [422] : [])
            }
        }
        await setup.commune.stop()
    }

    @Test("every route the router registers under /api/v1, and /metrics, answers 401 without a user")
    func everyRouteNeedsAUser() async throws {
        let setup = try await Setup()
        let router = ControllerRouter.make(controller: setup.commune.controller, apiToken: "unused")
        let guarded = router.routes.filter { $0.path.description.hasPrefix("/api/v1/") || $0.path.description == "/metrics" }
        #expect(guarded.count >= 21)
        let base = "http://127.0.0.1:\(setup.commune.httpPort)"
        for route in guarded {
            // Path parameters get a value of the right shape: the refusal must come before any lookup.
            let path = route.path.description.replacingOccurrences(of: "{version}", with: "1")
                .replacingOccurrences(of: "{name}", with: "can-bo-vh")
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = route.method.rawValue
            let (data, response) = try await LoopbackHTTP.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode
            #expect(status == 401, "\(route.method) \(path): \(status ?? 0)")
            // The error shape docs/api.md and the OpenAPI document give: {"error": {"message": "…"}}.
            let error = (try? JSONSerialization.jsonObject(with: data) as? [String: [String: String]])?["error"]
            #expect(error?["message"]?.hasPrefix("Thiếu hoặc sai mã truy cập") == true, "Vietnamese first: \(String(decoding: data, as: UTF8.self))")
        }
        await setup.commune.stop()
    }

    @Test("GET hamlets lists the site's hamlets with provisioned and reporting receivers and their last state")
    func hamlets() async throws {
        let setup = try await Setup()
        let data = URL(fileURLWithPath: setup.commune.controller.configuration.dataDirectory)
        var registry = DeviceRegistry()
        let first = try registry.add(site: Commune.testSite.id, hamlet: "thon-a")
        let second = try registry.add(site: Commune.testSite.id, hamlet: "thon-a")
        try registry.revoke(second.username)
        try registry.save(to: data.appendingPathComponent("devices.json"))
        let seen = Date(timeIntervalSince1970: 1_795_000_000)
        let store = setup.commune.controller.store
        try await store.updateDevice(DeviceState(device: first.username, zone: "thon-a", status: .online, at: seen, software: "loa 1"))
        try await store.updateDevice(DeviceState(device: "loa-la", zone: "thon-b", status: .offline, at: seen))

        let (status, body) = try await setup.api.call("GET", "hamlets", token: setup.tokens["can-bo-vh"])
        #expect(status == 200)
        let hamlets = try WireCoding.decode([HamletListing].self, from: body)
        #expect(hamlets.map(\.id) == ["thon-a", "thon-b"])
        #expect(hamlets.map(\.name) == ["Thôn Đông", "Thôn Đoài"])
        let a = hamlets[0].devices
        #expect(a.map(\.id) == [first.username, second.username].sorted())
        let online = try #require(a.first { $0.id == first.username })
        #expect(online.state?.status == .online && online.state?.software == "loa 1" && online.provisionedAt != nil)
        #expect(a.first { $0.id == second.username }?.revokedAt != nil)
        #expect(a.first { $0.id == second.username }?.state == nil, "provisioned, never reported")
        #expect(hamlets[1].devices.map(\.id) == ["loa-la"] && hamlets[1].devices[0].provisionedAt == nil)
        await setup.commune.stop()
    }

    @Test("GET events filters by from, to, hamlet, device, kind and item; bad filters are 400 naming the parameter")
    func events() async throws {
        let setup = try await Setup()
        let store = setup.commune.controller.store
        let day = ISO8601DateFormatter().date(from: "2026-11-20T22:30:00Z")!  // 05:30 on the 21st in Hà Nội
        func event(_ n: Int, _ device: String, _ zone: String, _ item: String, _ kind: DeviceEvent.Kind, dayOffset: Double) -> DeviceEvent {
            DeviceEvent(
                id: "e\(n)", device: device, site: Commune.testSite.id, zone: zone, item: item, kind: kind,
                at: day.addingTimeInterval(dayOffset * 86400), reason: kind == .failed ? "hỏng loa" : nil)
        }
        try await store.record([
            (event(1, "loa-a1", "thon-a", "x@thon-a", .started, dayOffset: 0), day),
            (event(2, "loa-a1", "thon-a", "x@thon-a", .finished, dayOffset: 0), day),
            (event(3, "loa-b1", "thon-b", "x@thon-b", .failed, dayOffset: 0), day),
            (event(4, "loa-a1", "thon-a", "y@thon-a", .finished, dayOffset: 1), day),
            (event(5, "loa-b1", "thon-b", "y@thon-b", .missed, dayOffset: 2), day),
        ])
        func ids(_ query: String) async throws -> [String] {
            let (status, data) = try await setup.api.call("GET", "events" + query, token: setup.tokens["ky-thuat"])
            #expect(status == 200, "\(query): \(String(decoding: data, as: UTF8.self))")
            return try WireCoding.decode([DeviceEvent].self, from: data).map(\.id)
        }
        #expect(try await ids("") == ["e1", "e2", "e3", "e4", "e5"])
        #expect(try await ids("?hamlet=thon-b") == ["e3", "e5"])
        #expect(try await ids("?device=loa-a1&kind=finished") == ["e2", "e4"])
        #expect(try await ids("?kind=failed,missed") == ["e3", "e5"])
        #expect(try await ids("?item=x@thon-a") == ["e1", "e2"])
        #expect(try await ids("?from=2026-11-22") == ["e4", "e5"], "dates are the commune's days")
        #expect(try await ids("?to=2026-11-22") == ["e1", "e2", "e3", "e4"], "to includes its day")
        #expect(try await ids("?from=2026-11-22&to=2026-11-22") == ["e4"])
        #expect(try await ids("?limit=2") == ["e1", "e2"])

        for (query, named) in [("?kind=played", "kind"), ("?from=hom-qua", "from"), ("?hamlet=thon-z", "thon-z"), ("?limit=0", "limit")] {
            let (status, data) = try await setup.api.call("GET", "events" + query, token: setup.tokens["ky-thuat"])
            let message = String(decoding: data, as: UTF8.self)
            #expect(status == 400 && message.contains(named), "\(query): \(status) \(message)")
        }
        await setup.commune.stop()
    }

    @Test("GET log lists the log's entries filtered, as JSON or CSV")
    func logListing() async throws {
        let setup = try await Setup()
        let announcement = try await setup.commune.announce(
            try sampleAudio("chime.wav"), to: ["thon-a"], at: Date().addingTimeInterval(3600), title: "Họp thôn Đông")
        let (status, data) = try await setup.api.call("GET", "log?kind=announcement&hamlet=thon-a", token: setup.tokens["mat-tran"])
        #expect(status == 200)
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(String(decoding: data, as: UTF8.self).contains(announcement.id))
        let (csvStatus, csv) = try await setup.api.call("GET", "log?format=csv&hamlet=thon-b", token: setup.tokens["mat-tran"])
        #expect(csvStatus == 200)
        #expect(!String(decoding: csv, as: UTF8.self).contains(announcement.id), "the announcement is for thon-a only")
        #expect(try await setup.api.call("GET", "log?format=html", token: setup.tokens["mat-tran"]).0 == 400)
        await setup.commune.stop()
    }

    @Test("GET reports gives loa report's figures as JSON, CSV and HTML, with the Law 10/2022 section")
    func reports() async throws {
        let setup = try await Setup()
        let media = try await setup.uploadAudio()
        #expect(try await setup.apply(SampleSchedule.make(media: media)).0 == 201)
        let announcement = try await setup.commune.announce(
            try sampleAudio("chime.wav"), to: ["thon-a", "thon-b"], at: Date(), title: "Thông báo tiêm chủng")
        try await setup.commune.controller.store.record(DeviceEvent(
            id: "played-1", device: "loa-a1", site: Commune.testSite.id, zone: "thon-a", item: "\(announcement.id)@thon-a",
            kind: .finished, at: Date(), playedMs: 1200), receivedAt: Date())

        let (status, data) = try await setup.api.call("GET", "reports", token: setup.tokens["mat-tran"])
        #expect(status == 200)
        let report = try WireCoding.decode(Report.self, from: data)
        let row = try #require(report.rows.first { $0.category == "dialogue" && $0.hamlet == "thon-a" })
        #expect(row.planned == 1 && row.played == 1 && row.airedMs == 1200 && row.confirmations == 1)
        #expect(report.law10.checks.contains { $0.programmes.contains(SampleSchedule.audioProgramme) }, "the Law 10/2022 section judges the disclosure")
        #expect(report.checkpoint != nil)

        let (htmlStatus, html) = try await setup.api.call("GET", "reports?format=html&hamlet=thon-a", token: setup.tokens["chu-tich"])
        let page = String(decoding: html, as: UTF8.self)
        #expect(htmlStatus == 200 && page.contains("Kiểm tra theo Luật 10/2022/QH15") && page.contains("Thôn Đông"))
        let (csvStatus, csv) = try await setup.api.call("GET", "reports?format=csv&category=dialogue", token: setup.tokens["can-bo-vh"])
        #expect(csvStatus == 200 && String(decoding: csv, as: UTF8.self).contains("dialogue,thon-a,1,1,1200"))
        let (_, filtered) = try await setup.api.call("GET", "reports?format=json&category=emergency", token: setup.tokens["can-bo-vh"])
        #expect(try WireCoding.decode(Report.self, from: filtered).rows.allSatisfy { $0.category == "emergency" })

        let (bad, message) = try await setup.api.call("GET", "reports?category=tin-vui", token: setup.tokens["mat-tran"])
        #expect(bad == 400 && String(decoding: message, as: UTF8.self).contains("tin-vui"))
        #expect(try await setup.api.call("GET", "reports?format=pdf", token: setup.tokens["mat-tran"]).0 == 400)
        await setup.commune.stop()
    }

    @Test("an admin lists, adds and disables users; the new token works at once and stops at once; the audit trail names the admin")
    func users() async throws {
        let setup = try await Setup()
        let request = UserAPI.AddRequest(
            name: "truong-thon", displayName: "Trưởng thôn Đông", roles: ["officer", "auditor"], password: "mật khẩu đủ dài 2026")
        let (status, data) = try await setup.api.call("POST", "users", token: setup.tokens["admin"], json: request)
        #expect(status == 201, "\(String(decoding: data, as: UTF8.self))")
        let added = try WireCoding.decode(UserAPI.Added.self, from: data)
        #expect(added.user.roles == ["officer", "auditor"] && added.user.displayName == "Trưởng thôn Đông")
        #expect(try await setup.api.call("GET", "me", token: added.token).0 == 200)

        let (listed, list) = try await setup.api.call("GET", "users", token: setup.tokens["admin"])
        #expect(listed == 200)
        let users = try WireCoding.decode([UserAPI.User].self, from: list)
        #expect(users.map(\.name).contains("truong-thon"))
        #expect(!String(decoding: list, as: UTF8.self).contains(added.token), "tokens are never listed")

        #expect(try await setup.api.call("POST", "users", token: setup.tokens["admin"], json: request).0 == 409)
        var badRole = request
        badRole.name = "nguoi-khac"
        badRole.roles = ["chief"]
        let (refused, why) = try await setup.api.call("POST", "users", token: setup.tokens["admin"], json: badRole)
        #expect(refused == 400 && String(decoding: why, as: UTF8.self).contains("chief"))
        var weak = badRole
        weak.roles = ["auditor"]
        weak.password = "ngắn"
        #expect(try await setup.api.call("POST", "users", token: setup.tokens["admin"], json: weak).0 == 422)

        let (disabled, user) = try await setup.api.call("POST", "users/truong-thon/disable", token: setup.tokens["admin"])
        #expect(disabled == 200)
        #expect(try WireCoding.decode(UserAPI.User.self, from: user).disabledAt != nil)
        #expect(try await setup.api.call("GET", "me", token: added.token).0 == 401)
        #expect(try await setup.api.call("POST", "users/khong-co/disable", token: setup.tokens["admin"]).0 == 404)

        let (auditStatus, auditData) = try await setup.api.call("GET", "audit?limit=3", token: setup.tokens["admin"])
        #expect(auditStatus == 200)
        let trail = try WireCoding.decode([UserAPI.AuditEntry].self, from: auditData)
        #expect(trail.map(\.action) == ["user-disabled", "password-set", "user-added"])
        #expect(trail.allSatisfy { $0.actor == "admin" && $0.subject == "truong-thon" })
        #expect(trail[0].actionText == "khóa người dùng (user disabled)")
        await setup.commune.stop()
    }
}
