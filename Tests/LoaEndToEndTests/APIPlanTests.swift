import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaReports
import LoaScheduleFiles
import LoaStore
import LoaHarness
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `POST /api/v1/schedules/plan` on a running controller: the repository's schedule
/// files sent as texts, their audio uploaded first, give the plan `loa schedule plan`
/// computes from the files on disk; broken files give their file:line diagnostics.
@Suite("API: schedule plan preview", .serialized)
struct APIPlanTests {
    typealias Setup = ScheduleAPITests.Setup

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let files = ["chuong-trinh.yaml", "niem-yet.yaml", "xa-binh-giang.yaml"]
    static let audio = ["thong-bao-mau.mp3", "thong-bao-mau.wav", "cong-khai-the-bhyt.mp3"]

    static func texts() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try files.map { name in
            (name, try String(contentsOf: root.appendingPathComponent("Schedules/\(name)"), encoding: .utf8))
        })
    }

    /// Uploads the example audio as the officer: path as the files write it → sha256.
    static func upload(_ setup: Setup) async throws -> [String: String] {
        var media: [String: String] = [:]
        for name in audio {
            let (status, data) = try await setup.api.call(
                "POST", "media", token: setup.tokens["can-bo-vh"], body: try sampleAudio(name), contentType: "application/octet-stream")
            #expect(status == 201)
            media["../Audio/\(name)"] = try WireCoding.decode(MediaReference.self, from: data).sha256
        }
        return media
    }

    @Test("the plan of the example files sent as texts is the plan of the same files on disk, nothing stored")
    func sameAsTheCommandLine() async throws {
        let setup = try await Setup()
        let media = try await Self.upload(setup)
        let request = PlanAPI.Request(files: try Self.texts(), media: media, from: "2026-11-30", days: 7)
        let (status, data) = try await setup.api.call("POST", "schedules/plan", token: setup.tokens["chu-tich"], json: request)
        #expect(status == 200, "\(String(decoding: data, as: UTF8.self).prefix(2000))")

        // What `loa schedule plan Schedules/… --from 2026-11-30 --days 7 --format json` computes.
        let loaded = ScheduleFiles.load(Self.files.map { Self.root.appendingPathComponent("Schedules/\($0)").path })
        let schedule = try #require(loaded.schedule)
        let expected = try PlanPreview(schedule: schedule, from: LocalDate(iso: "2026-11-30"), days: 7, now: Date()).document
        let answer = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(answer["valid"] as? Bool == true)
        let plan = try #require(answer["plan"] as? [String: Any])
        let wanted = try #require(try JSONSerialization.jsonObject(with: WireCoding.encode(expected)) as? [String: Any])
        #expect(!expected.airings.isEmpty && !expected.legalChecks.isEmpty)
        for key in ["airings", "sessions", "findings", "postings", "legalChecks", "site", "from", "days"] {
            #expect(NSDictionary(dictionary: [key: plan[key] as Any]).isEqual(to: [key: wanted[key] as Any]), "\(key) differs")
        }
        #expect(try await setup.commune.controller.store.activeSchedule() == nil, "a preview stores nothing")

        // One hamlet only.
        let one = PlanAPI.Request(files: try Self.texts(), media: media, from: "2026-11-30", days: 2, hamlet: "thon-dong")
        let (oneStatus, oneData) = try await setup.api.call("POST", "schedules/plan", token: setup.tokens["can-bo-vh"], json: one)
        #expect(oneStatus == 200)
        let airings = try #require(((try JSONSerialization.jsonObject(with: oneData) as? [String: Any])?["plan"] as? [String: Any])?["airings"] as? [[String: Any]])
        #expect(!airings.isEmpty && airings.allSatisfy { $0["hamlet"] as? String == "thon-dong" })
        await setup.commune.stop()
    }

    @Test("broken files give 422 with file:line diagnostics, Vietnamese first")
    func diagnostics() async throws {
        let setup = try await Setup()
        var texts = try Self.texts()
        texts["chuong-trinh.yaml"] = texts["chuong-trinh.yaml"]!.replacingOccurrences(of: "category: disclosure", with: "category: tin-vui")
        let (status, data) = try await setup.api.call(
            "POST", "schedules/plan", token: setup.tokens["can-bo-vh"], json: PlanAPI.Request(files: texts, media: try await Self.upload(setup)))
        #expect(status == 422)
        let answer = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(answer["valid"] as? Bool == false && answer["plan"] == nil)
        let diagnostics = try #require(answer["diagnostics"] as? [[String: Any]])
        let wrong = try #require(diagnostics.first { ($0["message"] as? [String: String])?["vi"]?.contains("tin-vui") == true })
        #expect(wrong["file"] as? String == "chuong-trinh.yaml" && (wrong["line"] as? Int ?? 0) > 0 && wrong["severity"] as? String == "error")
        #expect((answer["rendered"] as? String)?.contains("chuong-trinh.yaml:") == true)
        await setup.commune.stop()
    }

    @Test("audio is read only from uploads: a path to a file on the controller is missing; an absolute media path is refused")
    func confined() async throws {
        let setup = try await Setup()
        let onDisk = Self.root.appendingPathComponent("Audio/chime.wav").path
        #expect(FileManager.default.fileExists(atPath: onDisk))
        var texts = try Self.texts()
        texts["chuong-trinh.yaml"] = texts["chuong-trinh.yaml"]!.replacingOccurrences(of: "../Audio/thong-bao-mau.mp3", with: onDisk)
        let media = try await Self.upload(setup)
        let (status, data) = try await setup.api.call(
            "POST", "schedules/plan", token: setup.tokens["can-bo-vh"], json: PlanAPI.Request(files: texts, media: media))
        #expect(status == 422)
        let diagnostics = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.contains { $0["kind"] as? String == "audio-missing" })

        var escaping = media
        escaping["/etc/passwd"] = media.values.first
        let (refused, why) = try await setup.api.call(
            "POST", "schedules/plan", token: setup.tokens["can-bo-vh"], json: PlanAPI.Request(files: try Self.texts(), media: escaping))
        #expect(refused == 400 && String(decoding: why, as: UTF8.self).contains("passwd"))
        let unknown = ["../Audio/thong-bao-mau.mp3": String(repeating: "ab", count: 32)]
        let (missing, _) = try await setup.api.call(
            "POST", "schedules/plan", token: setup.tokens["can-bo-vh"], json: PlanAPI.Request(files: try Self.texts(), media: unknown))
        #expect(missing == 422)
        await setup.commune.stop()
    }

    @Test("withActive: one new file on top of the applied schedule gives the commune's whole plan with the new programme")
    func onTheActiveSchedule() async throws {
        let loaded = ScheduleFiles.load(Self.files.map { Self.root.appendingPathComponent("Schedules/\($0)").path })
        let schedule = try #require(loaded.schedule)
        let commune = try await Commune(site: Site(
            id: schedule.site.id, name: schedule.site.name, hamlets: schedule.hamlets.map { Hamlet(id: $0.id, name: $0.name) }))
        let api = APIClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)/api/v1")!)
        let officer = try await commune.controller.store.addUser(name: "can-bo-vh", displayName: "Cán bộ", roles: [.officer], at: Date()).token
        var media: [String: String] = [:]
        for name in Self.audio + ["chime.wav"] {
            let (status, data) = try await api.call(
                "POST", "media", token: officer, body: try sampleAudio(name), contentType: "application/octet-stream")
            #expect(status == 201)
            media["../Audio/\(name)"] = try WireCoding.decode(MediaReference.self, from: data).sha256
        }
        let (applied, answer) = try await api.call(
            "POST", "schedules", token: officer, json: ScheduleAPI.ApplyRequest(schedule: schedule, sources: try Self.texts()))
        #expect(applied == 201, "\(String(decoding: answer, as: UTF8.self))")

        let newProgramme = """
            programmes:
              - id: tiem-chung
                title: Thông báo tiêm chủng
                category: other
                audio: ../Audio/chime.wav
                repeat: daily
                slots: [sang]
                from: 2026-11-30
                until: 2026-12-06
            """
        let request = PlanAPI.Request(
            files: ["moi.yaml": newProgramme], media: ["../Audio/chime.wav": media["../Audio/chime.wav"]!],
            from: "2026-11-30", days: 7, withActive: true)
        let (status, data) = try await api.call("POST", "schedules/plan", token: officer, json: request)
        #expect(status == 200, "\(String(decoding: data, as: UTF8.self).prefix(1500))")
        let plan = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["plan"] as? [String: Any])
        let programmes = Set(try #require(plan["airings"] as? [[String: Any]]).compactMap { $0["programme"] as? String })
        #expect(programmes.contains("tiem-chung") && programmes.contains("cqtt-hang-tuan"), "\(programmes.sorted())")

        // The active version's own plan (the calendar): the applied programmes, not the previewed one.
        let (activeStatus, activeData) = try await api.call("GET", "schedules/active/plan?from=2026-11-30&days=7&hamlet=thon-dong", token: officer)
        #expect(activeStatus == 200, "\(String(decoding: activeData, as: UTF8.self).prefix(500))")
        let active = try #require(try JSONSerialization.jsonObject(with: activeData) as? [String: Any])
        let activeAirings = try #require(active["airings"] as? [[String: Any]])
        #expect(activeAirings.contains { $0["programme"] as? String == "cqtt-hang-tuan" })
        #expect(!activeAirings.contains { $0["programme"] as? String == "tiem-chung" })
        #expect(activeAirings.allSatisfy { $0["hamlet"] as? String == "thon-dong" })
        #expect(!(try #require(active["legalChecks"] as? [Any])).isEmpty)
        #expect(try await api.call("GET", "schedules/active/plan?days=0", token: officer).0 == 400)
        // A first day far from today is refused, not planned: the legal checks would plan
        // every day between it and the schedule's window (the year 39 took 30 s of CPU).
        for far in ["0039-09-05", "9999-01-01"] {
            let (farStatus, farBody) = try await api.call("GET", "schedules/active/plan?from=\(far)&days=106", token: officer)
            #expect(farStatus == 400 && String(decoding: farBody, as: UTF8.self).contains("731"), "from=\(far)")
        }

        // Alone, the new file has no site: the files are not a schedule.
        var alone = request
        alone.withActive = nil
        #expect(try await api.call("POST", "schedules/plan", token: officer, json: alone).0 == 422)
        await commune.stop()
    }

    @Test("a burst of year-long plan requests does not hold up /healthz: the plans run on threads of their own")
    func plansDoNotStallHealth() async throws {
        let loaded = ScheduleFiles.load(Self.files.map { Self.root.appendingPathComponent("Schedules/\($0)").path })
        let schedule = try #require(loaded.schedule)
        let commune = try await Commune(site: Site(
            id: schedule.site.id, name: schedule.site.name, hamlets: schedule.hamlets.map { Hamlet(id: $0.id, name: $0.name) }))
        for name in Self.audio { _ = try await commune.controller.media.addAudio(try sampleAudio(name)) }
        try await commune.controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
        let officer = try await commune.controller.store.addUser(name: "can-bo-vh", displayName: "Cán bộ", roles: [.officer], at: Date()).token

        // Many plans two years long at once, far more than the machine has cores, asked by
        // other processes (curl), so that this process only serves them.
        let burst = 24
        let far = commune.controller.configuration.wallClock.local(Date().addingTimeInterval(-730 * 86_400)).date
        let url = "http://127.0.0.1:\(commune.httpPort)/api/v1/schedules/active/plan?from=\(far)&days=366"
        let curls = try (0..<burst).map { _ in
            try ChildProcess.spawn("/usr/bin/curl", ["-sf", "-o", "/dev/null", "-H", "Authorization: Bearer \(officer)", url])
        }
        var statuses: [Int32: Int32] = [:]
        func reap() { for pid in curls where statuses[pid] == nil { if let status = ChildProcess.exitStatus(pid) { statuses[pid] = status } } }
        // Once the first plan is answered, the rest are running or queued: health is asked then.
        while statuses.isEmpty {
            reap()
            try await Task.sleep(for: .milliseconds(2))
        }
        let (_, response) = try await LoopbackHTTP.data(from: URL(string: "http://127.0.0.1:\(commune.httpPort)/healthz")!)
        reap()
        let before = statuses.count
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        while statuses.count < burst {
            reap()
            try await Task.sleep(for: .milliseconds(10))
        }
        // The plans run a few at a time on their own threads: health answers while most still wait.
        #expect(before <= burst / 2, "healthz answered after \(before) of \(burst) plans")
        #expect(statuses.values.allSatisfy { $0 == 0 }, "every plan answered 200: \(statuses)")
        await commune.stop()
    }
}
