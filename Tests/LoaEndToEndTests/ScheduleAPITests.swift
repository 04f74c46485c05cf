import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The API over HTTP on a running controller: who may call which route, the
/// bootstrap admin token and console users' tokens, and the two-person rule.
@Suite("Schedule API, users and roles over HTTP", .serialized)
struct ScheduleAPITests {
    /// A running commune with one user of each role (two approvers) and their tokens.
    struct Setup {
        let commune: Commune
        let api: APIClient
        let tokens: [String: String]

        init() async throws {
            commune = try await Commune()
            api = APIClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)/api/v1")!)
            let store = commune.controller.store
            var tokens = ["admin": try APIToken.load(from: APIToken.file(in: commune.controller.configuration.dataDirectory))]
            for (name, role) in [("can-bo-vh", ConsoleRole.officer), ("chu-tich", .approver), ("pho-chu-tich", .approver),
                                 ("ky-thuat", .operator), ("mat-tran", .auditor)] {
                tokens[name] = try await store.addUser(name: name, displayName: "Người dùng \(name)", roles: [role], at: Date()).token
            }
            self.tokens = tokens
        }

        /// Uploads the sample audio as the officer and returns it.
        func uploadAudio() async throws -> MediaReference {
            let (status, data) = try await api.call("POST", "media", token: tokens["can-bo-vh"], body: try sampleAudio("chime.wav"),
                                                    contentType: "application/octet-stream")
            #expect(status == 201)
            return try WireCoding.decode(MediaReference.self, from: data)
        }

        /// Applies `schedule` as the officer; the answer's status and body.
        func apply(_ schedule: BroadcastSchedule, as user: String = "can-bo-vh") async throws -> (Int, Data) {
            try await api.call("POST", "schedules", token: tokens[user],
                               json: ScheduleAPI.ApplyRequest(schedule: schedule, sources: ["xa.yaml": "# lịch"]))
        }

        /// Calls the route as `user`: a 2xx answer (or `reached`) when they `may`, else 403 naming the roles needed.
        func expectRole(
            _ user: String, may: Bool, _ method: String, _ path: String, body: Data?, reached: Set<Int> = [],
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws {
            // Uploads are the file itself; everything else the API takes is JSON.
            let upload = ["media", "notice-attachments"].contains(path)
            let (status, data) = try await api.call(
                method, path, token: tokens[user], body: body, contentType: upload ? "application/octet-stream" : "application/json")
            let answer = String(decoding: data, as: UTF8.self)
            if may {
                #expect((200..<300).contains(status) || reached.contains(status), "\(user) \(method) \(path): \(status) \(answer)",
                        sourceLocation: sourceLocation)
            } else {
                #expect(status == 403, "\(user) \(method) \(path): \(status) \(answer)", sourceLocation: sourceLocation)
                #expect(answer.contains("cần vai trò (needs role)"), "\(answer)", sourceLocation: sourceLocation)
            }
        }

        /// Approves programmes of `version` as `user`.
        func approve(_ version: Int, _ programmes: [String]?, as user: String) async throws -> (Int, Data) {
            try await api.call("POST", "schedules/\(version)/approvals", token: tokens[user],
                               json: ScheduleAPI.ApprovalRequest(programmes: programmes))
        }
    }

    @Test("every route admits exactly the roles it names; the others get 403")
    func roleMatrix() async throws {
        let setup = try await Setup()
        let media = try await setup.uploadAudio()
        let (applied, _) = try await setup.apply(SampleSchedule.make(media: media))
        #expect(applied == 201)
        let announcement = try WireCoding.encode(AnnouncementRequest(
            title: "Thử quyền", category: .other, media: media.sha256, hamlets: ["thon-a"], startAt: Date().addingTimeInterval(3600)))
        let schedule = try WireCoding.encode(ScheduleAPI.ApplyRequest(schedule: SampleSchedule.make(media: media)))
        let approval = try WireCoding.encode(ScheduleAPI.ApprovalRequest(programmes: ["tuyen-truyen-mo-hinh"]))
        let audio = try sampleAudio("chime.wav")
        let everyone: Set = ["admin", "can-bo-vh", "chu-tich", "ky-thuat", "mat-tran"]
        let routes: [(String, String, Data?, Set<String>)] = [
            ("POST", "media", audio, ["can-bo-vh", "chu-tich", "admin"]),
            ("POST", "announcements", announcement, ["chu-tich"]),
            ("GET", "events", nil, ["ky-thuat", "mat-tran", "admin"]),
            ("GET", "devices", nil, ["ky-thuat", "admin"]),
            ("POST", "log/checkpoint", nil, ["ky-thuat", "admin"]),
            ("POST", "schedules", schedule, ["can-bo-vh"]),
            ("GET", "schedules/active", nil, everyone),
            ("GET", "schedules/1/approvals", nil, everyone),
            ("POST", "schedules/latest/approvals", approval, ["chu-tich"]),
            ("GET", "me", nil, everyone),
        ]
        for (method, path, body, allowed) in routes {
            for user in everyone.sorted() {
                var route = path
                if path == "schedules/latest/approvals" {
                    let (_, data) = try await setup.api.call("GET", "schedules/active", token: setup.tokens["admin"])
                    route = "schedules/\(try WireCoding.decode(ScheduleAPI.ActiveSchedule.self, from: data).version)/approvals"
                }
                try await setup.expectRole(user, may: allowed.contains(user), method, route, body: body)
            }
        }
        await setup.commune.stop()
    }

    @Test("no token, an unknown token and a disabled user's token get 401; /me names the caller")
    func authentication() async throws {
        let setup = try await Setup()
        for token in [nil, ConsoleToken.generate(), "not-even-hex"] {
            let (status, data) = try await setup.api.call("GET", "me", token: token)
            #expect(status == 401, "\(String(decoding: data, as: UTF8.self))")
        }
        let (status, data) = try await setup.api.call("GET", "me", token: setup.tokens["chu-tich"])
        #expect(status == 200)
        let caller = try WireCoding.decode(ScheduleAPI.Caller.self, from: data)
        #expect(caller.name == "chu-tich" && caller.displayName == "Người dùng chu-tich" && caller.roles == ["approver"])
        let (_, adminData) = try await setup.api.call("GET", "me", token: setup.tokens["admin"])
        #expect(try WireCoding.decode(ScheduleAPI.Caller.self, from: adminData).roles == ["admin"])

        try await setup.commune.controller.store.disableUser(named: "chu-tich", at: Date())
        let (disabled, message) = try await setup.api.call("GET", "me", token: setup.tokens["chu-tich"])
        #expect(disabled == 401)
        #expect(String(decoding: message, as: UTF8.self).contains("is disabled"))
        await setup.commune.stop()
    }

    @Test("an emergency needs two different approvers over HTTP; officers cannot approve, approvers cannot apply")
    func twoPersonRule() async throws {
        let setup = try await Setup()
        let media = try await setup.uploadAudio()
        let schedule = SampleSchedule.make(media: media)
        #expect(try await setup.apply(schedule, as: "chu-tich").0 == 403)
        let (status, data) = try await setup.apply(schedule)
        #expect(status == 201, "\(String(decoding: data, as: UTF8.self))")
        let change = try WireCoding.decode(ScheduleChange.self, from: data)
        #expect(change.version == 1 && change.added == schedule.programmes.map(\.id))
        #expect(change.awaitingApproval == schedule.programmes.map(\.id))
        #expect(try await setup.approve(1, nil, as: "can-bo-vh").0 == 403)

        func emergency(_ data: Data) throws -> ProgrammeApproval {
            try #require(try WireCoding.decode(ScheduleAPI.ApprovalStatus.self, from: data).programmes
                .first { $0.programmeID == "canh-bao-lu" })
        }
        let (first, firstData) = try await setup.approve(1, nil, as: "chu-tich")
        #expect(first == 201)
        #expect(try !emergency(firstData).isApproved)
        let (_, againData) = try await setup.approve(1, ["canh-bao-lu"], as: "chu-tich")
        #expect(try emergency(againData).approvers.map(\.name) == ["chu-tich"])
        #expect(try !emergency(againData).isApproved, "one person approving twice is still one approver")
        let (_, secondData) = try await setup.approve(1, ["canh-bao-lu"], as: "pho-chu-tich")
        #expect(try emergency(secondData).isApproved)

        // A one-off emergency announcement would bypass the second approver: refused.
        let oneOff = try WireCoding.encode(AnnouncementRequest(
            title: "Báo cháy", category: .emergency, priority: .emergency, media: media.sha256, hamlets: ["thon-a"]))
        let (refused, refusal) = try await setup.api.call("POST", "announcements", token: setup.tokens["chu-tich"], body: oneOff)
        #expect(refused == 422)
        #expect(String(decoding: refusal, as: UTF8.self).contains("Tin khẩn cấp cần hai người duyệt"))

        let (_, activeData) = try await setup.api.call("GET", "schedules/active", token: setup.tokens["mat-tran"])
        let active = try WireCoding.decode(ScheduleAPI.ActiveSchedule.self, from: activeData)
        #expect(active.version == 1 && active.appliedBy == "can-bo-vh" && active.schedule == schedule)
        #expect(active.approvals.allSatisfy { $0.isApproved })
        #expect(try await setup.commune.controller.store.approvedProgrammeIDs(version: 1) == Set(schedule.programmes.map(\.id)))
        let logged = try await setup.commune.controller.store.logEntries(matching: LogQuery(kinds: ["schedule-applied", "approval"]))
        #expect(logged.map { $0.fields["by"] } == ["can-bo-vh"] + Array(repeating: "chu-tich", count: 4) + ["pho-chu-tich"])
        await setup.commune.stop()
    }

    @Test("a schedule for another site, unknown hamlets or audio not uploaded is refused, naming what to fix")
    func refusals() async throws {
        let setup = try await Setup()
        var otherSite = SampleSchedule.make(site: "xa-khac")
        otherSite.hamlets.append(ScheduleHamlet(id: "thon-z", name: "Thôn Z"))
        let (status, data) = try await setup.apply(otherSite)
        let message = String(decoding: data, as: UTF8.self)
        #expect(status == 422)
        #expect(message.contains("'xa-khac'") && message.contains("'xa-thu-nghiem'") && message.contains("thon-z"), "\(message)")

        let missing = MediaReference(sha256: String(repeating: "0f", count: 32), bytes: 1, contentType: "audio/wav", durationMs: 1)
        let (audioStatus, audioData) = try await setup.apply(SampleSchedule.make(media: missing))
        #expect(audioStatus == 422)
        #expect(String(decoding: audioData, as: UTF8.self).contains("upload it first"))
        #expect(try await setup.commune.controller.store.activeSchedule() == nil, "nothing refused is stored")

        #expect(try await setup.apply(SampleSchedule.make()).0 == 201)
        #expect(try await setup.apply(SampleSchedule.make()).0 == 201)
        let (old, oldData) = try await setup.approve(1, nil, as: "chu-tich")
        #expect(old == 409, "\(String(decoding: oldData, as: UTF8.self))")
        #expect(try await setup.approve(2, ["khong-co"], as: "chu-tich").0 == 422)
        #expect(try await setup.approve(9, nil, as: "chu-tich").0 == 404)
        #expect(try await setup.api.call("GET", "schedules/x/approvals", token: setup.tokens["chu-tich"]).0 == 400)
        await setup.commune.stop()
    }
}

/// Calls the controller's `/api/v1` with a bearer token and returns status and body, whatever the status.
struct APIClient {
    let base: URL

    func call(_ method: String, _ path: String, token: String?, body: Data? = nil, contentType: String = "application/json")
        async throws -> (Int, Data)
    {
        // The path may carry a query string (`events?kind=finished`).
        var request = URLRequest(url: URL(string: base.absoluteString + "/" + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await LoopbackHTTP.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func call(_ method: String, _ path: String, token: String?, json: some Encodable) async throws -> (Int, Data) {
        try await call(method, path, token: token, body: try WireCoding.encode(json))
    }
}
