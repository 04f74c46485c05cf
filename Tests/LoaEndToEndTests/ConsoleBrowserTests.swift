import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

/// The web console in Debian's headless Chromium, on real parts: an officer logs in,
/// writes an announcement for two hamlets, previews its plan and submits it; a leader
/// logs in and approves it; both receivers play it (ALSA file output) and the live
/// view shows it played on each. Screenshots of the pages go to
/// `.test-artifacts/screenshots/console-*.png`.
@Suite("Web console in a real browser", .serialized, .enabled(if: Chromium.isInstalled, "needs /usr/bin/chromium"))
struct ConsoleBrowserTests {
    static let officerPassword = "Cán bộ văn hóa 2026"
    static let approverPassword = "Chủ tịch xã 2026"

    @Test("officer writes an announcement for two hamlets, a leader approves it, two receivers play it and the live view shows it")
    func announceApproveAndWatch() async throws {
        let commune = try await Commune()
        let store = commune.controller.store
        _ = try await store.addUser(name: "can-bo-vh", displayName: "Nguyễn Thị Hoa", roles: [.officer], password: Self.officerPassword, at: Date())
        _ = try await store.addUser(name: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver], password: Self.approverPassword, at: Date())
        // No quiet hours: the announcement airs a minute from now, whatever the hour the test runs at.
        try await commune.controller.programmes.applySchedule(SampleSchedule.make(quietHours: []), sourceFiles: [:], by: "can-bo-vh")
        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a")
        let b1 = try commune.receiver("loa-b1", hamlet: "thon-b")
        for receiver in [a1, b1] { receiver.start() }
        let browser = try await ConsoleBrowser()
        let base = "http://127.0.0.1:\(commune.httpPort)"
        let shots = TestArtifacts.screenshots
        do {
            // The officer: not signed in, the console sends them to the login page.
            try await browser.open(URL(string: "\(base)/console/announcements/new")!)
            #expect(try await browser.location().path == "/console/login")
            #expect(try await browser.evaluate("document.documentElement.lang") as? String == "vi")
            try await browser.screenshot(to: shots.appendingPathComponent("console-login.png"))
            try await logIn(browser, "can-bo-vh", Self.officerPassword)
            #expect(try await browser.location().path == "/console/announcements/new", "login returns to the page asked for")
            #expect(try await browser.text().contains("Soạn thông báo"))

            // Write it: text for both hamlets, today, at a fixed time a little ahead.
            let clock = commune.controller.configuration.wallClock
            let startAt = Date().addingTimeInterval(60)
            let local = clock.local(startAt)
            try await browser.fill("#title", "Thông báo lịch tiêm phòng cho gia súc")
            try await browser.check("input[name=kind][value=text]")
            try await browser.fill("#text", "Ngày 25/12/2026 lúc 7h30, xã tổ chức tiêm phòng cho trâu bò tại nhà văn hóa thôn. Phí 15.000 đồng một con.")
            try await browser.check("#hamlet-thon-a")
            try await browser.check("#hamlet-thon-b")
            try await browser.check("input[name=days][value=once]")
            try await browser.fill("#date", local.date.description)
            try await browser.check("input[name=timing][value=at]")
            try await browser.fill("#times", local.time.description)
            try await browser.click("button[value=preview]")
            let preview = try await browser.text()
            #expect(preview.contains("Các lần phát dự kiến (2)"), "the plan lists one airing per hamlet: \(preview)")
            #expect(preview.contains("Thôn Đông") && preview.contains("Thôn Đoài"))
            #expect(try await browser.evaluate("document.querySelector('#preview audio') !== null") as? Bool == true, "the text's speech can be heard")
            try await browser.screenshot(to: shots.appendingPathComponent("console-announcement-preview.png"))
            try await browser.click("button[value=submit]")
            #expect(try await browser.location().path == "/console/dashboard")
            let programme = try #require(try await browser.location().query?.split(separator: "&").first { $0.hasPrefix("submitted=") }
                .map { String($0.dropFirst("submitted=".count)) })
            #expect(try await store.activeSchedule()?.schedule.programmes.contains { $0.id == programme } == true)
            #expect(try await store.approvedProgrammeIDs(version: try #require(try await store.activeSchedule()).version).contains(programme) == false)
            try await browser.screenshot(to: shots.appendingPathComponent("console-dashboard.png"))
            // An officer may not approve: the queue is not theirs.
            try await browser.open(URL(string: "\(base)/console/approvals")!)
            #expect(try await browser.text().contains("Không có quyền"))
            // The week of the airing (run late on a Sunday, that is next week).
            try await browser.open(URL(string: "\(base)/console/calendar?from=\(local.date)")!)
            #expect(try await browser.text().contains("Thông báo lịch tiêm phòng cho gia súc"), "the week shows the new announcement")
            try await browser.screenshot(to: shots.appendingPathComponent("console-calendar.png"))
            try await browser.open(URL(string: "\(base)/console/emergency")!)
            // The schedule's flood warning was for a day gone by and never approved: it says so, with no cancel.
            #expect(try await browser.text().contains("không được duyệt kịp"))
            #expect(try await browser.evaluate("document.querySelector('#cancel-canh-bao-lu') === null") as? Bool == true)
            // A test broadcast half an hour ahead: previewed, submitted, then withdrawn with one click (and the confirmation).
            try await browser.fill("#title", "Thử còi báo lũ")
            try await browser.fill("#text", "Kiểm tra hệ thống loa báo lũ.")
            try await browser.fill("#minutes", "30")
            try await browser.click("button[value=preview]")
            let testID = try #require(try await browser.evaluate("document.querySelector('#emergency-form input[name=id]').value") as? String)
            try await browser.click("#emergency-form button[value=submit]")
            try await browser.screenshot(to: shots.appendingPathComponent("console-emergency.png"))
            try await browser.evaluate("window.confirm = () => true")
            try await browser.click("#cancel-\(testID)")
            #expect(try await browser.text().contains("Đã hủy: [THỬ NGHIỆM] Thử còi báo lũ"), "the flash names it by its title")
            #expect(try await store.activeSchedule()?.schedule.programmes.contains { $0.id == testID } == false)
            try await browser.click("form.logout button")

            // The leader approves it.
            try await logIn(browser, "chu-tich", Self.approverPassword)
            try await browser.open(URL(string: "\(base)/console/approvals")!)
            #expect(try await browser.text().contains("Thông báo lịch tiêm phòng cho gia súc"))
            try await browser.screenshot(to: shots.appendingPathComponent("console-approvals.png"))
            try await browser.click("#approve-\(programme)")
            #expect(Date() < startAt, "the flow took too long: approved after the airing's time")
            let broadcast = "\(programme)@\(local.date)/\(OccurrenceID.place(of: local.time))"
            let live = try #require(try await browser.evaluate("document.querySelector('.flash a') && document.querySelector('.flash a').href") as? String)
            #expect(live.removingPercentEncoding?.hasSuffix("item=\(broadcast)") == true, "\(live)")

            // The live view, until both receivers played it.
            try await browser.open(URL(string: live)!)
            try await browser.waitUntil("both receivers to finish in the live view", timeout: .seconds(120)) {
                try await browser.evaluate("document.querySelectorAll('tr[data-state=finished]').length") as? Int == 2
            }
            try await browser.screenshot(to: shots.appendingPathComponent("console-delivery.png"))
            let liveText = try await browser.text()
            #expect(liveText.range(of: #"\d+,\d giây"#, options: .regularExpression) != nil, "decimals with a comma in Vietnamese: \(liveText)")
            for device in ["loa-a1", "loa-b1"] {
                let kinds = try await store.events(device: device).filter { $0.item.hasPrefix(broadcast) }.map(\.kind)
                #expect(kinds.contains(.started) && kinds.contains(.finished), "\(device): \(kinds)")
            }
            for receiver in [a1, b1] {
                let played = try ALSAFilePCM.readPlayedPCM(at: receiver.speakerFile)
                #expect(played.samples.contains { $0 != 0 }, "\(receiver.speakerFile.lastPathComponent) stayed silent")
            }
            // The same view in English, and the public page.
            try await browser.open(URL(string: "\(live)&lang=en")!)
            #expect(try await browser.evaluate("document.documentElement.lang") as? String == "en")
            #expect(try await browser.text().contains("Played"))
            try await browser.open(URL(string: "\(base)/transparency?lang=vi")!)
            let publicPage = try await browser.text()
            #expect(publicPage.contains("nhật ký minh bạch"), "\(publicPage)")
            try await browser.screenshot(to: shots.appendingPathComponent("console-transparency.png"))
            try await browser.open(URL(string: "\(base)/console/logs")!)
            try await browser.screenshot(to: shots.appendingPathComponent("console-logs.png"))
            try await browser.open(URL(string: "\(base)/console/dashboard?lang=vi")!)
            try await browser.screenshot(to: shots.appendingPathComponent("console-dashboard-after.png"))
        } catch {
            print("chromium said: \((try? String(contentsOfFile: browser.logFile, encoding: .utf8))?.suffix(3000) ?? "")")
            browser.close()
            for receiver in [a1, b1] { await receiver.stop() }
            await commune.stop()
            throw error
        }
        browser.close()
        for receiver in [a1, b1] { await receiver.stop() }
        await commune.stop()
    }

    /// Logs in on the login page the browser shows (or goes to).
    private func logIn(_ browser: ConsoleBrowser, _ name: String, _ password: String) async throws {
        if try await browser.location().path != "/console/login" {
            var login = URLComponents(url: try await browser.location(), resolvingAgainstBaseURL: false)!
            login.path = "/console/login"
            login.query = nil
            try await browser.open(login.url!)
        }
        try await browser.fill("#name", name)
        try await browser.fill("#password", password)
        try await browser.click("#login-form button[type=submit]")
    }
}
