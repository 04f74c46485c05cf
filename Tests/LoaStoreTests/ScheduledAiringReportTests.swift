import Foundation
import LoaDomain
import LoaProtocol
import LoaReports
import LoaStore
import LoaHarness
import Testing

@Suite("Scheduled airings in the broadcast report")
struct ScheduledAiringReportTests {
    @Test("airings of a schedule programme are planned, played and missed rows of its category and hamlet; the controller is not a receiver")
    func scheduledAirings() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-report-scheduled")
        defer { directory.remove() }
        let path = directory.path("loa.sqlite").path
        let store = try SQLiteStore(path: path, signingKey: SigningKey(name: "loa.xa-thu-nghiem"))
        let now = try Date.ISO8601FormatStyle().parse("2026-11-30T04:00:00+07:00")
        let media = MediaReference(sha256: String(repeating: "cd", count: 32), bytes: 1000, contentType: "audio/wav", durationMs: 5000)
        try await store.saveMedia(media, at: now)
        try await store.applySchedule(SampleSchedule.make(media: media), sourceFiles: [:], by: "can-bo-vh", at: now)
        let programme = SampleSchedule.audioProgramme
        func event(_ id: String, _ device: String, _ zone: String, _ day: String, _ kind: DeviceEvent.Kind, playedMs: Int? = nil, reason: String? = nil) async -> (DeviceEvent, Date) {
            (DeviceEvent(
                id: id, device: device, site: "xa-thu-nghiem", zone: zone, item: "\(programme)@\(day)/sang@\(zone)", kind: kind,
                at: now, playedMs: playedMs, reason: reason), now)
        }
        try await store.record([
            event("e1", "loa-a1", "thon-a", "2026-11-30", .received), event("e2", "loa-a1", "thon-a", "2026-11-30", .started),
            event("e3", "loa-a1", "thon-a", "2026-11-30", .finished, playedMs: 5000),
            event("e4", "controller", "thon-b", "2026-11-30", .missed, reason: "the controller was not running"),
        ])

        let report = ReportBuilder(schedules: try LogAudit.scheduleVersions(databaseAt: path))
            .build(try LogAudit.entries(databaseAt: path))
        let inA = try #require(report.rows.first { $0.category == "disclosure" && $0.hamlet == "thon-a" })
        let inB = try #require(report.rows.first { $0.category == "disclosure" && $0.hamlet == "thon-b" })
        #expect(inA.planned == 1 && inA.played == 1 && inA.confirmations == 1 && inA.receivers == 1)
        #expect(inB.planned == 1 && inB.played == 0 && inB.misses == 1 && inB.receivers == 0)
        #expect(report.eventsWithoutAnnouncement == 0)
        #expect(report.incidents.map(\.title) == ["Công khai ngân sách quý III"])

        // Without the schedule versions, the same events are unexplained.
        let bare = ReportBuilder().build(try LogAudit.entries(databaseAt: path))
        #expect(bare.rows.isEmpty && bare.eventsWithoutAnnouncement == 4)
    }
}
