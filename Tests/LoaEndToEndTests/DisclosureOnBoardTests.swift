import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaReceiver
import LoaReports
import LoaScheduleFiles
import LoaStore
import LoaHarness
import Testing

/// The commune's real disclosures, from `Schedules/` to the hamlets' boards and into
/// the Law 10/2022 report: the board-day figure comes from the boards' display records.
@Suite("A disclosure from Schedules/ on the boards, counted for Law 10/2022", .serialized)
struct DisclosureOnBoardTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func hanoi(_ text: String) throws -> Date { try Date.ISO8601FormatStyle().parse(text + "+07:00") }

    @Test("the budget disclosure of Schedules/niem-yet.yaml is approved, posted on two boards and shown in a screenshot; 30 days of display records pass in Thôn Đông, a dark day breaks Thôn Đoài's run")
    func realDisclosureOnBoards() async throws {
        try #require(Chromium.isInstalled, "headless Chromium is needed: apt-get install chromium")
        let loaded = ScheduleFiles.load([Self.repository.appendingPathComponent("Schedules").path])
        let schedule = try #require(loaded.schedule, "\(loaded.rendered)")
        let site = Site(
            id: schedule.site.id, name: schedule.site.name, timeZone: schedule.site.timeZone,
            hamlets: schedule.hamlets.map(\.hamlet))
        // The morning the postings begin (Wednesday 25 November 2026).
        let clock = TestClock(try Self.hanoi("2026-11-25T07:00:00"))
        let commune = try await Commune(site: site, clock: clock.function)
        for path in loaded.audioFiles.values { _ = try await commune.controller.media.addAudio(try Data(contentsOf: URL(fileURLWithPath: path))) }
        for path in loaded.noticeFiles.values {
            _ = try await commune.controller.media.addNoticeAttachment(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        try await commune.controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
        try await commune.controller.programmes.approve(version: 1, programmeIDs: nil, by: "chu-tich")

        let dong = try await BoardDevice(commune, device: "bang-tin-dong", hamlet: "thon-dong", clock: clock.function)
        let doai = try await BoardDevice(commune, device: "bang-tin-doai", hamlet: "thon-doai", clock: clock.function)
        try await dong.start()
        try await doai.start()
        let budget = try #require(schedule.notices.first { $0.disclosure?.item == 2 })
        _ = try await dong.board { _ in true }

        // What a resident sees on Thôn Đông's board: the real disclosure, first in the rotation.
        let page = try await dong.url("/")
        let dom = try await Chromium.dom(page)
        #expect(dom.contains(budget.title))
        #expect(dom.contains("Công khai theo Điều 11 Luật 10/2022, mục 2"))
        #expect(dom.contains("Niêm yết từ 25/11/2026 đến 24/12/2026"))
        #expect(dom.contains("Thôn Đông · Xã Bình Giang"))
        try await Chromium.screenshot(page, to: TestArtifacts.screenshots.appendingPathComponent("board-schedules-disclosure.png"))

        // 30 days of postings: each morning the page reports what it shows; the hour after, the board
        // records it. Thôn Đoài's board is dark on Monday 7 December.
        let dark = LocalDate(iso: "2026-12-07")!
        let first = LocalDate(iso: "2026-11-25")!
        for day in 0..<30 {
            let date = first.adding(days: day)
            clock.set(try Self.hanoi("\(date)T09:00:00"))
            try await dong.reportShown(["\(budget.id)@thon-dong"])
            if date != dark { try await doai.reportShown(["\(budget.id)@thon-doai"]) }
            clock.set(try Self.hanoi("\(date)T10:00:05"))
            await dong.receiver.checkBoard()
            await doai.receiver.checkBoard()
        }
        // One record an hour the board was seen (Thôn Đông's also has the hour Chromium showed it).
        let wallClock = WallClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
        let shownDong = try await dong.events("\(budget.id)@thon-dong", .stillDisplayed, count: 31, within: .seconds(30))
        let shownDoai = try await doai.events("\(budget.id)@thon-doai", .stillDisplayed, count: 29, within: .seconds(30))
        #expect(Set(shownDong.map { wallClock.local($0.at.addingTimeInterval(-1)).date }).count == 30)
        #expect(Set(shownDoai.map { wallClock.local($0.at.addingTimeInterval(-1)).date }).count == 29)

        // The report counts board days from those records, hamlet by hamlet.
        let database = commune.directory.path("controller").appendingPathComponent("loa.sqlite").path
        let report = ReportBuilder(from: nil, to: nil, hamlet: nil, category: nil,
                                   schedules: try LogAudit.scheduleVersions(databaseAt: database))
            .build(try LogAudit.entries(databaseAt: database), checkpoint: nil)
        let check = try #require(report.law10.checks.first { $0.item == 2 })
        let inDong = try #require(check.hamlets.first { $0.hamlet == "thon-dong" })
        let inDoai = try #require(check.hamlets.first { $0.hamlet == "thon-doai" })
        #expect(inDong.board.days == 30 && inDong.board.longestRun == 30 && inDong.board.passes)
        #expect(inDoai.board.days == 29 && inDoai.board.longestRun == 17 && !inDoai.board.passes)
        #expect(inDoai.board.firstGap == Law10Gap(from: dark, until: dark))
        #expect(inDoai.problems.contains { $0.contains("07/12/2026") })

        await dong.close()
        await doai.close()
        await commune.stop()
    }
}
