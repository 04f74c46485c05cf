import Foundation
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// Notices are approved like programmes: against their content (`NoticeDigest`),
/// kept while unchanged, two people for an emergency; applies say what changed.
@Suite("Approving notices for the boards")
struct NoticeApprovalTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let now = Date(timeIntervalSince1970: 1_795_485_600)
    static let first = LocalDate(year: 2026, month: 12, day: 1)!

    static func notice(_ id: String, category: Category = .disclosure, title: String = "Công khai dự toán") -> Notice {
        Notice(
            id: id, title: title, body: "| Thu | Chi |\n| 1 | 2 |", category: category, displayFrom: first,
            displayUntil: first.adding(days: 29))
    }

    @Test("a notice is listed with the programmes, approved by digest, kept while unchanged, re-approved when changed", arguments: StoreEngine.allCases)
    func approvalsFollowContent(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        var schedule = SampleSchedule.make()
        schedule.notices = [Self.notice("du-toan"), Self.notice("danh-muc", title: "Danh mục công khai quý IV")]
        let one = try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now)
        #expect(one.noticesAdded == ["du-toan", "danh-muc"] && one.added.count == 3)
        #expect(one.awaitingApproval == one.added + one.noticesAdded)

        let status = try await store.approve(version: 1, programmeIDs: ["du-toan"], by: "chu-tich", at: now + 10)
        #expect(status.map(\.programmeID) == schedule.programmes.map(\.id) + ["du-toan", "danh-muc"])
        let approved = try #require(status.first { $0.programmeID == "du-toan" })
        #expect(approved.kind == .notice && approved.isApproved && approved.requiredApprovers == 1)
        #expect(approved.digest == NoticeDigest.of(schedule.notices[0]))
        #expect(try await store.approvedProgrammeIDs(version: 1) == ["du-toan"])

        schedule.notices[1].title = "Danh mục thông tin công khai quý IV năm 2026"
        let two = try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now + 20)
        #expect(two.noticesUnchanged == ["du-toan"] && two.noticesChanged == ["danh-muc"] && two.noticesAdded.isEmpty)
        #expect(try await store.approvedProgrammeIDs(version: 2) == ["du-toan"], "unchanged: still approved")

        schedule.notices.removeFirst()
        let three = try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now + 30)
        #expect(three.noticesRemoved == ["du-toan"])
        await #expect(throws: ScheduleVersionError.unknownProgrammes(["du-toan"], version: 3)) {
            try await store.approve(version: 3, programmeIDs: ["du-toan"], by: "chu-tich", at: now + 40)
        }
    }

    @Test("an emergency notice needs two different approvers, and each approval is a log entry", arguments: StoreEngine.allCases)
    func emergency(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        var schedule = SampleSchedule.make()
        schedule.programmes = []
        schedule.notices = [Self.notice("so-tan", category: .emergency, title: "Sơ tán khẩn cấp")]
        try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now)
        var status = try await store.approve(version: 1, programmeIDs: nil, by: "chu-tich", at: now + 1)
        status = try await store.approve(version: 1, programmeIDs: nil, by: "chu-tich", at: now + 2)
        #expect(status.first?.priority == .emergency && status.first?.requiredApprovers == 2)
        #expect(status.first?.isApproved == false, "one person twice counts once")
        status = try await store.approve(version: 1, programmeIDs: ["so-tan"], by: "pho-chu-tich", at: now + 3)
        #expect(status.first?.isApproved == true)
        let approvals = try await made.reopen().logEntries().compactMap { entry -> LoggedApproval? in
            if case .approval(let approval) = entry.content { approval } else { nil }
        }
        #expect(approvals.map(\.programme) == ["so-tan", "so-tan"] && approvals.allSatisfy { $0.priority == "emergency" })
    }
}
