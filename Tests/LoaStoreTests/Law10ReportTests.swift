import Foundation
import LoaDomain
import LoaProtocol
import LoaReports
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// The Law 10/2022 checks of a report, from board and loudspeaker events written
/// to a real store and the disclosure metadata of its schedule version.
///
/// - Item 2 (budget), decided Friday 20/11/2026: a notice on both hamlets' boards
///   25/11–24/12/2026; thôn Đông's board shows it every day, thôn Đoài's is dark on 12/12.
/// - Item 7 (health insurance), decided Monday 23/11/2026: a programme aired 25–27/11 in
///   thôn Đông (3 consecutive days), on 25, 26 and 28/11 in thôn Đoài (2 consecutive).
@Suite("Law 10/2022 checks from display and airing records")
struct Law10ReportTests {
    static let key = SigningKey(name: "loa.xa-thu-nghiem")
    static let clock = WallClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
    static let postedFrom = LocalDate(year: 2026, month: 11, day: 25)!

    /// A store holding the schedule and the events; the report built from it.
    static func report(directory: TemporaryDirectory) async throws -> (Report, String) {
        let path = directory.path("loa.sqlite").path
        let store = try SQLiteStore(path: path, signingKey: key)
        let media = MediaReference(sha256: String(repeating: "cd", count: 32), bytes: 100, contentType: "audio/wav", durationMs: 5000)
        var schedule = SampleSchedule.make(media: media)
        schedule.notices = [Notice(
            id: "niem-yet-du-toan", title: "Công khai dự toán ngân sách 9 tháng", body: "| Thu | 1.250.000.000 đồng |",
            category: .disclosure, targets: .hamlets(["thon-a", "thon-b"]), displayFrom: postedFrom,
            displayUntil: postedFrom.adding(days: 29),
            disclosure: Disclosure(item: 2, decisionDate: LocalDate(year: 2026, month: 11, day: 20)!))]
        schedule.programmes.append(Programme(
            id: "the-bhyt", title: "Danh sách cấp thẻ bảo hiểm y tế", category: .disclosure,
            content: .audio(path: "a.wav", media: media), durationSeconds: 5,
            recurrence: Recurrence(days: .daily, from: postedFrom, until: postedFrom.adding(days: 3), times: .inSlots(["sang"], timesPerDay: 1)),
            disclosure: Disclosure(item: 7, decisionDate: LocalDate(year: 2026, month: 11, day: 23)!)))
        let now = clock.instant(postedFrom.adding(days: -1), LocalTime(hour: 9, minute: 0)!)
        try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: now)

        var events: [(DeviceEvent, Date)] = []
        func event(_ device: String, _ zone: String, _ item: String, _ kind: DeviceEvent.Kind, _ day: LocalDate) {
            // 06:00 in Hà Nội is 23:00 UTC the day before: days are counted on the site's clock.
            let at = clock.instant(day, LocalTime(hour: 6, minute: 0)!)
            events.append((DeviceEvent(
                id: "ev-\(events.count)", device: device, site: "xa-thu-nghiem", zone: zone, item: item, kind: kind, at: at), at))
        }
        for offset in 0..<30 {
            let day = postedFrom.adding(days: offset)
            event("bang-a1", "thon-a", "niem-yet-du-toan@thon-a", offset == 0 ? .displayed : .stillDisplayed, day)
            if offset != 17 { event("bang-b1", "thon-b", "niem-yet-du-toan@thon-b", offset == 0 ? .displayed : .stillDisplayed, day) }
        }
        for (zone, offsets) in [("thon-a", [0, 1, 2]), ("thon-b", [0, 1, 3])] {
            for offset in offsets {
                let day = postedFrom.adding(days: offset)
                let item = "the-bhyt@\(day)/sang@\(zone)"
                event("loa-\(zone)", zone, item, .started, day)
                event("loa-\(zone)", zone, item, .finished, day)
            }
        }
        try await store.record(events)
        let schedules = try LogAudit.scheduleVersions(databaseAt: path)
        #expect(schedules == (try await store.scheduleVersions().map(\.schedule)))
        return (ReportBuilder(schedules: schedules).build(try LogAudit.entries(databaseAt: path)), path)
    }

    @Test("a notice on the board 30 consecutive days passes; a board dark one day breaks the run, and the gap is named")
    func boardDays() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (report, _) = try await Self.report(directory: directory)
        #expect(report.law10.pending == nil)
        let budget = try #require(report.law10.checks.first { $0.item == 2 })
        #expect(budget.notices == ["niem-yet-du-toan"] && budget.programmes == ["cong-khai-ngan-sach"])
        #expect(budget.dueBy == LocalDate(year: 2026, month: 11, day: 27) && budget.firstDisclosed == Self.postedFrom)
        #expect(budget.onTime)
        let east = try #require(budget.hamlets.first { $0.hamlet == "thon-a" })
        #expect((east.board.days, east.board.longestRun, east.board.required) == (30, 30, 30))
        #expect(east.board.firstGap == nil && east.passes && east.problems.isEmpty)
        let west = try #require(budget.hamlets.first { $0.hamlet == "thon-b" })
        #expect((west.board.days, west.board.longestRun) == (29, 17))
        let gapDay = LocalDate(year: 2026, month: 12, day: 12)!
        #expect(west.board.firstGap == Law10Gap(from: gapDay, until: gapDay))
        #expect(!west.passes && !budget.passes)
        #expect(west.problems.first?.contains("bảng tin thôn Đoài tắt ngày 12/12/2026: chuỗi ngày niêm yết bị ngắt") == true)
    }

    @Test("item 7 aired on 3 consecutive days passes the loudspeaker check; on 2 it falls short")
    func loudspeakerDays() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (report, _) = try await Self.report(directory: directory)
        let support = try #require(report.law10.checks.first { $0.item == 7 })
        #expect(support.dueBy == LocalDate(year: 2026, month: 11, day: 30) && support.onTime)
        let east = try #require(support.hamlets.first { $0.hamlet == "thon-a" })
        #expect((east.loudspeaker.longestRun, east.loudspeaker.required) == (3, 3) && east.loudspeaker.passes)
        let west = try #require(support.hamlets.first { $0.hamlet == "thon-b" })
        #expect((west.loudspeaker.days, west.loudspeaker.longestRun) == (3, 2) && !west.loudspeaker.passes)
        #expect(west.problems.contains { $0.contains("loa thôn Đoài phát 2/3 ngày liên tiếp") })
        #expect(!east.board.passes, "item 7 must also be posted on the boards; no notice carries it here")
    }

    @Test("the quarterly list says what was disclosed, how and when, in every rendering")
    func quarterlyList() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (report, _) = try await Self.report(directory: directory)
        #expect(report.law10.quarterlyList.map { "\($0.quarter)/\($0.year) \($0.channel) \($0.from)…\($0.until) \($0.hamlets)" } == [
            "4/2026 board 2026-11-25…2026-12-24 2", "4/2026 loudspeaker 2026-11-25…2026-11-28 2",
        ])
        let rendering = ReportRendering(hamletNames: ["thon-a": "Thôn Đông", "thon-b": "Thôn Đoài"])
        let table = rendering.table(report)
        #expect(table.contains("tắt ngày 12/12/2026") && table.contains("Quý 4/2026") && table.contains("30/30"))
        let csv = rendering.csv(report)
        #expect(csv.contains("\r\nitem,decisionDate,title,hamlet,boardDays"))
        #expect(csv.contains("2,2026-11-20,Công khai dự toán ngân sách 9 tháng,thon-b,29,17,30,2026-12-12/2026-12-12"))
        let html = rendering.html(report)
        #expect(html.contains("Danh mục thông tin công khai theo quý") && html.contains("niêm yết trên bảng tin"))
        #expect(try rendering.json(report).contains("\"longestRun\" : 17"))
    }
}
