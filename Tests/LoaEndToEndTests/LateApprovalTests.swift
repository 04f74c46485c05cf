import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

/// An approval that comes after the instant: an emergency still airs, anything else
/// is said not to, before and after the approval.
@Suite("Approvals after the instant", .serialized)
struct LateApprovalTests {
    /// Monday 30 November 2026 in Hà Nội: the sample schedule with its emergency warning
    /// at 05:00 (the disclosure airs at 05:00 too), applied at 04:00 and approved by one
    /// leader at 04:30; the clock shows 04:30.
    static func emergencyAtFive() async throws -> (TestClock, Commune, warning: String) {
        let clock = TestClock(try DispatchTests.hanoi("2026-11-30T04:00:00"))
        let commune = try await Commune(clock: clock.function)
        let media = try await commune.controller.media.addAudio(try sampleAudio("chime.wav"))
        var schedule = SampleSchedule.make(media: media)
        let emergency = try #require(schedule.programmes.firstIndex { $0.priority == .emergency })
        schedule.programmes[emergency].recurrence = Recurrence(
            days: .once(LocalDate(year: 2026, month: 11, day: 30)!), times: .at([LocalTime(hour: 5, minute: 0)!]))
        schedule.programmes[emergency].content = .audio(path: "Audio/canh-bao.wav", media: media)
        let warning = schedule.programmes[emergency].id
        try await commune.controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
        clock.set(try DispatchTests.hanoi("2026-11-30T04:30:00"))
        try await commune.controller.programmes.approve(version: 1, programmeIDs: [warning], by: "chu-tich")
        return (clock, commune, warning)
    }

    /// The document last published for `thon-a`.
    static func document(of controller: Controller) async throws -> ZoneSchedule {
        try WireCoding.decode(ZoneSchedule.self, from: try #require(try await controller.store.latestZoneDocument(zone: "thon-a")))
    }

    @Test("an emergency whose second approval comes 20 minutes after its instant airs at once; a normal programme approved late is recorded as missed; the approvals page warns of both before")
    func lateApproval() async throws {
        let (clock, commune, warning) = try await Self.emergencyAtFive()
        let controller = commune.controller

        // 05:20: both instants passed while they awaited approval. The page says what approving does now.
        clock.set(try DispatchTests.hanoi("2026-11-30T05:20:00"))
        _ = try await controller.store.addUser(
            name: "pho-chu-tich", displayName: "Phó chủ tịch", roles: [.approver], password: ConsoleRoutesTests.password, at: clock.now)
        let cookie = try await ConsoleRoutesTests.logIn(commune, "pho-chu-tich")
        let page = try await ConsoleRoutesTests.get(commune, "/console/approvals", cookie: cookie).html
        let cards = page.components(separatedBy: "<section class=\"approval\"")
        let warningCard = try #require(cards.first { $0.contains("id=\"approval-\(warning)\"") })
        let disclosureCard = try #require(cards.first { $0.contains("id=\"approval-\(SampleSchedule.audioProgramme)\"") })
        #expect(warningCard.contains("Đã qua giờ phát 05:00") && warningCard.contains("sẽ phát ngay khi đủ người duyệt"), "\(warningCard)")
        #expect(disclosureCard.contains("Đã qua giờ phát 05:") && disclosureCard.contains("sẽ không phát dù được duyệt"), "\(disclosureCard)")

        // The second leader approves at 05:20: the warning goes out ten seconds later.
        try await controller.programmes.approve(version: 1, programmeIDs: [warning], by: "pho-chu-tich")
        try await controller.programmes.approve(version: 1, programmeIDs: [SampleSchedule.audioProgramme], by: "chu-tich")
        let document = try await Self.document(of: controller)
        let aired = try #require(document.items.first { $0.announcementId == warning }, "the emergency is not in the document")
        #expect(aired.startAt == clock.now.addingTimeInterval(LateApproval.emergencyLead))
        let lateDisclosure = "\(SampleSchedule.audioProgramme)@2026-11-30/sang@thon-a"
        #expect(!document.items.contains { $0.id == lateDisclosure })
        let missed = try await DispatchTests.missed(controller).map(\.item)
        #expect(missed.contains(lateDisclosure))
        #expect(!missed.contains(aired.id))
        await commune.stop()
    }

    @Test("an emergency approved more than 2 hours after its instant does not air, and the record says why")
    func emergencyApprovedTooLate() async throws {
        let (clock, commune, warning) = try await Self.emergencyAtFive()
        let controller = commune.controller
        // 07:30: the second leader approves, two and a half hours after 05:00.
        clock.set(try DispatchTests.hanoi("2026-11-30T07:30:00"))
        try await controller.programmes.approve(version: 1, programmeIDs: [warning], by: "pho-chu-tich")
        let document = try await Self.document(of: controller)
        #expect(!document.items.contains { $0.announcementId == warning })
        let record = try await #require(try DispatchTests.missed(controller).first { $0.item.hasPrefix("\(warning)@") && $0.zone == "thon-a" })
        #expect(record.reason?.contains("more than 2 h after its instant is not aired") == true, "\(record)")
        await commune.stop()
    }
}
