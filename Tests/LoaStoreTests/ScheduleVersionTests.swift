import Foundation
import LoaDomain
import LoaProtocol
import LoaReports
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// Schedule versions, the changes between them, approvals held per programme
/// content, the two-person rule, and their entries in the transparency log.
@Suite("Schedule versions and approvals in the store")
struct ScheduleVersionTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let now = Date(timeIntervalSince1970: 1_795_485_600)


    @Test("versions grow, and each apply says which programmes were added, removed and changed", arguments: StoreEngine.allCases)
    func versionsAndChanges(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        #expect(try await store.activeSchedule() == nil)
        let first = SampleSchedule.make()
        let one = try await store.applySchedule(first, sourceFiles: ["xa.yaml": "site: …"], by: "can-bo-vh", at: now)
        #expect(one.version == 1)
        #expect(one.previousVersion == nil)
        #expect(one.added == ["tuyen-truyen-mo-hinh", "hoi-nghi-doi-thoai", "canh-bao-lu"])
        #expect(one.removed.isEmpty && one.changed.isEmpty && !one.siteSettingsChanged && one.hamletsAdded.isEmpty)
        #expect(one.awaitingApproval == one.added)

        var second = first
        second.programmes[0].title = "Chính quyền thân thiện (bản sửa)"
        second.programmes.remove(at: 2)
        second.programmes.append(Programme(
            id: "thoi-su", title: "Tiếp sóng thời sự", category: .news, content: .text("…"), durationSeconds: 600,
            recurrence: Recurrence(days: .daily, times: .at([LocalTime(hour: 6, minute: 0)!]))))
        second.site.defaultVolume = 5
        second.hamlets.append(ScheduleHamlet(id: "thon-c", name: "Thôn Nam"))
        let two = try await store.applySchedule(second, sourceFiles: ["xa.yaml": "v2"], by: "can-bo-vh", at: now + 60)
        #expect(two.version == 2)
        #expect(two.previousVersion == 1)
        #expect(two.added == ["thoi-su"])
        #expect(two.removed == ["canh-bao-lu"])
        #expect(two.changed == ["tuyen-truyen-mo-hinh"])
        #expect(two.unchanged == ["hoi-nghi-doi-thoai"])
        #expect(two.siteSettingsChanged)
        #expect(two.hamletsAdded == ["thon-c"] && two.hamletsRemoved.isEmpty)

        let active = try #require(try await store.activeSchedule())
        #expect(active.version == 2 && active.schedule == second && active.appliedBy == "can-bo-vh")
        #expect(active.appliedAt == now + 60)
        #expect(try await store.schedule(version: 1)?.schedule == first)
        #expect(try await store.scheduleSources(version: 1) == ["xa.yaml": "site: …"])
        #expect(store.logSize == 2)
    }

    @Test("an unchanged programme keeps its approval in the next version; a changed one needs a new one", arguments: StoreEngine.allCases)
    func approvalsFollowContent(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        var schedule = SampleSchedule.make()
        try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now)
        let status = try await store.approve(version: 1, programmeIDs: nil, by: "chu-tich", at: now + 10)
        #expect(status.map(\.programmeID) == schedule.programmes.map(\.id))
        #expect(try await store.approvedProgrammeIDs(version: 1) == ["tuyen-truyen-mo-hinh", "hoi-nghi-doi-thoai"])

        schedule.programmes[1].recurrence.times = .inSlots(["sang"], timesPerDay: nil)
        let change = try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now + 20)
        #expect(change.changed == ["hoi-nghi-doi-thoai"])
        #expect(change.awaitingApproval == ["hoi-nghi-doi-thoai", "canh-bao-lu"])
        #expect(try await store.approvedProgrammeIDs(version: 2) == ["tuyen-truyen-mo-hinh"])
        let kept = try #require(try await store.approvalStatus(version: 2).first)
        #expect(kept.approvers == [ProgrammeApproval.Approver(name: "chu-tich", at: now + 10)])

        try await store.approve(version: 2, programmeIDs: ["hoi-nghi-doi-thoai"], by: "pho-chu-tich", at: now + 30)
        #expect(try await store.approvedProgrammeIDs(version: 2) == ["tuyen-truyen-mo-hinh", "hoi-nghi-doi-thoai"])
        // Version 1 still reads as it was approved: the old content's approval stands for it.
        #expect(try await store.approvedProgrammeIDs(version: 1) == ["tuyen-truyen-mo-hinh", "hoi-nghi-doi-thoai"])
    }

    @Test("an emergency needs two different approvers: one person approving twice is not enough", arguments: StoreEngine.allCases)
    func twoPersonRule(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        try await store.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh", at: now)
        let emergency = "canh-bao-lu"
        let first = try await store.approve(version: 1, programmeIDs: [emergency], by: "chu-tich", at: now + 1)
        let sizeAfterFirst = store.logSize
        let again = try await store.approve(version: 1, programmeIDs: [emergency], by: "chu-tich", at: now + 2)
        #expect(store.logSize == sizeAfterFirst, "approving again logs nothing")
        for status in [first, again] {
            let warning = try #require(status.first { $0.programmeID == emergency })
            #expect(warning.requiredApprovers == 2)
            #expect(warning.approvers.map(\.name) == ["chu-tich"])
            #expect(!warning.isApproved)
        }
        #expect(!(try await store.approvedProgrammeIDs(version: 1)).contains(emergency))

        try await store.approve(version: 1, programmeIDs: [emergency], by: "pho-chu-tich", at: now + 3)
        #expect(try await store.approvedProgrammeIDs(version: 1) == [emergency])
        let warning = try #require(try await store.approvalStatus(version: 1).first { $0.programmeID == emergency })
        #expect(warning.approvers.map(\.name) == ["chu-tich", "pho-chu-tich"] && warning.isApproved)
    }

    @Test("approvals of several approvers at once (a province emergency taken up) store and log what one after another would; one already given, or named twice, counts once", arguments: StoreEngine.allCases)
    func severalApproversAtOnce(engine: StoreEngine) async throws {
        let atOnce = try await engine.makeStore(signingKey: key), inTurn = try await engine.makeStore(signingKey: key)
        defer { atOnce.remove(); inTurn.remove() }
        let emergency = "canh-bao-lu"
        for made in [atOnce, inTurn] {
            try await made.store.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh", at: now)
            try await made.store.approve(version: 1, programmeIDs: [emergency], by: "chu-tich", at: now + 1)
        }
        let status = try await atOnce.store.approve(
            version: 1, programmeIDs: [emergency, "hoi-nghi-doi-thoai"], byEach: ["chu-tich", "pho-chu-tich", "pho-chu-tich"], at: now + 2)
        for user in ["chu-tich", "pho-chu-tich"] {
            try await inTurn.store.approve(version: 1, programmeIDs: [emergency, "hoi-nghi-doi-thoai"], by: user, at: now + 2)
        }
        #expect(status == (try await inTurn.store.approvalStatus(version: 1)))
        #expect(status == (try await atOnce.store.approvalStatus(version: 1)))
        let warning = try #require(status.first { $0.programmeID == emergency })
        #expect(warning.approvers.map(\.name) == ["chu-tich", "pho-chu-tich"] && warning.isApproved)
        let entries = try await atOnce.store.logRecords(in: 0..<atOnce.store.logSize).map(\.entry)
        #expect(entries == (try await inTurn.store.logRecords(in: 0..<inTurn.store.logSize).map(\.entry)))
        #expect(entries.count == 5, "applied; chu-tich's emergency; chu-tich's dialogue; pho-chu-tich's two")

        let size = atOnce.store.logSize
        try await atOnce.store.approve(version: 1, programmeIDs: [emergency], byEach: ["chu-tich", "pho-chu-tich"], at: now + 3)
        #expect(atOnce.store.logSize == size, "approving again logs nothing")
        let report = try await atOnce.verifyLog([key.verifier])
        #expect(report.isIntact && report.entries == 5, "\(report.problems)")
    }

    @Test("only the active version can be approved, and only its programmes", arguments: StoreEngine.allCases)
    func approvalRefusals(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        await #expect(throws: ScheduleVersionError.noSchedule) {
            try await store.approve(version: 1, programmeIDs: nil, by: "chu-tich", at: now)
        }
        try await store.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh", at: now)
        try await store.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh", at: now + 1)
        await #expect(throws: ScheduleVersionError.notActive(version: 1, active: 2)) {
            try await store.approve(version: 1, programmeIDs: nil, by: "chu-tich", at: now)
        }
        await #expect(throws: ScheduleVersionError.unknownVersion(7, active: 2)) {
            try await store.approve(version: 7, programmeIDs: nil, by: "chu-tich", at: now)
        }
        await #expect(throws: ScheduleVersionError.unknownProgrammes(["khong-co"], version: 2)) {
            try await store.approve(version: 2, programmeIDs: ["tuyen-truyen-mo-hinh", "khong-co"], by: "chu-tich", at: now)
        }
        #expect(try await store.approvedProgrammeIDs(version: 2).isEmpty, "a refused request approves nothing")
        #expect(store.logSize == 2)
    }

    @Test("applies and approvals are logged entries that read back, list, filter, and the log still verifies", arguments: StoreEngine.allCases)
    func logged(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        let schedule = SampleSchedule.make()
        try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now)
        try await store.approve(version: 1, programmeIDs: ["canh-bao-lu"], by: "chu-tich", at: now + 5)
        try await store.approve(version: 1, programmeIDs: ["canh-bao-lu"], by: "pho-chu-tich", at: now + 6)

        let entries = try await store.logEntries()
        #expect(entries.map { $0.fields["type"] } == ["schedule-applied", "approval", "approval"])
        guard case .scheduleApplied(let applied) = entries[0].content else {
            Issue.record("not read as a schedule application: \(entries[0].content)")
            return
        }
        let active = try #require(try await store.activeSchedule())
        #expect(applied.version == 1 && applied.by == "can-bo-vh" && applied.at == now && applied.site == "xa-thu-nghiem")
        #expect(applied.digest == active.digest)
        #expect(applied.programmes == Dictionary(uniqueKeysWithValues: schedule.programmes.map { ($0.id, ProgrammeDigest.of($0)) }))
        guard case .approval(let approval) = entries[2].content else {
            Issue.record("not read as an approval: \(entries[2].content)")
            return
        }
        #expect(approval.programme == "canh-bao-lu" && approval.by == "pho-chu-tich" && approval.priority == "emergency")
        #expect(approval.digest == ProgrammeDigest.of(schedule.programmes[2]) && approval.version == 1 && approval.at == now + 6)
        #expect(entries[2].instant == now + 6)
        let bytes = try #require(try await store.logRecords(in: 1..<2).first).entry
        #expect(String(decoding: bytes, as: UTF8.self) == """
            {"at":"2026-11-24T02:00:05.000Z","by":"chu-tich","digest":"\(approval.digest)","priority":"emergency",\
            "programme":"canh-bao-lu","type":"approval","version":"1"}
            """)

        #expect(try await store.logEntries(matching: LogQuery(kinds: ["approval"])).count == 2)
        #expect(try await store.logEntries(matching: LogQuery(hamlet: "thon-a")).isEmpty)
        let table = LogListing().table(entries)
        #expect(table.contains("duyệt bởi (approved by) pho-chu-tich") && !table.contains("not known"))

        let report = try await made.verifyLog([key.verifier])
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.entries == 3 && report.uncovered == 0)
    }

    @Test("a programme's digest does not depend on how its sets were built, and changes with any field")
    func digestIsCanonical() throws {
        var programme = SampleSchedule.make().programmes[0]
        let digest = ProgrammeDigest.of(programme)
        // What approvals are stored against: the SHA-256 of the canonical bytes, the same
        // when it is asked again (digests are kept by the programme's plain encoding).
        #expect(digest == MediaDigest.sha256(try CanonicalJSON.encode(programme)))
        #expect(ProgrammeDigest.of(programme) == digest)
        var days = Set<Weekday>(minimumCapacity: 200)
        for day in Weekday.allCases.reversed() where day != .sunday { days.insert(day) }
        programme.recurrence.days = .weekly(days)
        #expect(ProgrammeDigest.of(programme) == digest)
        programme.volume = 8
        #expect(ProgrammeDigest.of(programme) != digest)

        var schedule = SampleSchedule.make()
        let bytes = try CanonicalJSON.encode(schedule)
        schedule.site.slots[0].weekdays = days
        #expect(try CanonicalJSON.encode(schedule) == bytes)
        #expect(try WireCoding.decode(BroadcastSchedule.self, from: bytes) == schedule)
    }
}
