import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaStore
import Testing

/// Every console page on a laptop (1366×768) and on a phone (390×844) in Debian's
/// headless Chromium, on a commune that has lived a little: a schedule with a
/// disclosure and a past, never-approved flood warning, an announcement that two
/// receivers played (and a third hamlet without any receiver missed), programmes
/// waiting for approval, one rejected with a reason. Each page's width is measured
/// (nothing may scroll sideways), each page is screenshot at each size under
/// `.test-artifacts/screenshots/layout-*.png`, and the texts the issue found
/// (ids instead of names, English words, decimals with a point, "done everywhere"
/// when nobody heard it) are checked gone.
@Suite("Web console on a phone and a laptop", .serialized, .enabled(if: Chromium.isInstalled, "needs /usr/bin/chromium"))
struct ConsoleLayoutTests {
    static let officerPassword = "Cán bộ văn hóa 2026"
    static let approverPassword = "Chủ tịch xã 2026"
    /// The test commune and a hamlet whose loudspeakers are not installed yet.
    static let site = Site(id: "xa-thu-nghiem", name: "Xã Thử Nghiệm", hamlets: Commune.testSite.hamlets + [
        Hamlet(id: "thon-c", name: "Thôn Bến Đò"),
    ])
    @Test("every page fits 390 px and 1366 px without sideways scrolling, and speaks in names and Vietnamese")
    func everyPageAtTwoSizes() async throws {
        let commune = try await Commune(site: Self.site)
        let controller = commune.controller
        let store = controller.store
        _ = try await store.addUser(name: "can-bo-vh", displayName: "Nguyễn Thị Hoa", roles: [.officer], password: Self.officerPassword, at: Date())
        _ = try await store.addUser(name: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver], password: Self.approverPassword, at: Date())
        let chime = try sampleAudio("chime.wav")
        let media = try await controller.media.addAudio(chime)
        try await controller.programmes.applySchedule(SampleSchedule.make(media: media, quietHours: []), sourceFiles: [:], by: "can-bo-vh")
        let version = try #require(try await store.activeSchedule()).version
        try await controller.programmes.approve(version: version, programmeIDs: [SampleSchedule.audioProgramme, "hoi-nghi-doi-thoai"], by: "chu-tich")
        let tomorrow = controller.configuration.wallClock.local(Date()).date.adding(days: 1)
        for (id, title) in [("tiem-phong", "Thông báo lịch tiêm phòng gia súc"), ("hop-sai-ngay", "Thông báo họp tổ dân vận")] {
            try await controller.programmes.submit(ProgrammeDraft(
                title: title, category: .dialogue, priority: .normal,
                content: .text("Ngày 25/12/2026 lúc 7h30, xã tổ chức tiêm phòng cho trâu bò tại nhà văn hóa thôn."), durationSeconds: 20,
                hamlets: ["thon-a", "thon-b"],
                recurrence: Recurrence(days: .once(tomorrow), times: .at([LocalTime(hour: 7, minute: 30)!]))), id: id, by: "can-bo-vh")
        }
        // An announcement to three hamlets, of which one has no receiver: two play it, nobody hears it in the third.
        let receivers = [try commune.receiver("loa-a1", hamlet: "thon-a"), try commune.receiver("loa-b1", hamlet: "thon-b")]
        for receiver in receivers { receiver.start() }
        let announced = try await commune.announce(chime, to: ["thon-a", "thon-b", "thon-c"], at: Date().addingTimeInterval(3), title: "Mời họp dân cuối năm")
        for (device, hamlet) in [("loa-a1", "thon-a"), ("loa-b1", "thon-b")] {
            _ = try await commune.waitForEvents(item: "\(announced.id)@\(hamlet)", kind: .finished, from: [device], within: .seconds(60))
        }

        let browser = try await ConsoleBrowser()
        let base = "http://127.0.0.1:\(commune.httpPort)"
        var texts: [String: String] = [:]
        /// Opens `path` at every size: measured, screenshot, its text kept under `name`.
        func visit(_ name: String, _ path: String, then: (() async throws -> Void)? = nil) async throws {
            texts[name] = try await browser.visitAtEverySize(name, URL(string: base + path)!, then: then)
        }
        do {
            try await visit("login", "/console/login")
            try await logIn(browser, base, "chu-tich", Self.approverPassword)
            // The approver: the queue, with what to listen to, the TEST/LIVE badge, and no "Duyệt" where nothing would air.
            try await visit("approvals", "/console/approvals")
            let approvals = texts["approvals"] ?? ""
            #expect(approvals.contains("Đã quá giờ phát"), "the past flood warning says approving airs nothing")
            #expect(try await browser.evaluate("document.querySelector('#approve-canh-bao-lu') === null") as? Bool == true)
            #expect(try await browser.evaluate("document.querySelector('#approval-canh-bao-lu .badge.bad').textContent") as? String == "THẬT – KHẨN CẤP")
            #expect(try await browser.evaluate("document.querySelector('#approval-tiem-phong audio') !== null") as? Bool == true,
                    "the text can be heard as it will be read before approving")
            #expect(approvals.contains("Nguyễn Thị Hoa") && !approvals.contains("can-bo-vh"), "who applied it by name")
            // Send one back with a reason.
            try await browser.evaluate("document.querySelector('#approval-hop-sai-ngay details.reject').open = true")
            try await browser.fill("#reason-hop-sai-ngay", "Sai ngày họp, đề nghị sửa lại theo kế hoạch của Mặt trận.")
            try await browser.click("#reject-hop-sai-ngay")
            #expect(try await browser.text().contains("Đã từ chối và gửi lại cán bộ soạn: Thông báo họp tổ dân vận"))
            #expect(try await store.activeSchedule()?.schedule.programmes.contains { $0.id == "hop-sai-ngay" } == false)
            try await browser.click("form.logout button")

            try await logIn(browser, base, "can-bo-vh", Self.officerPassword)
            try await visit("dashboard", "/console/dashboard")
            let dashboard = texts["dashboard"] ?? ""
            #expect(dashboard.contains("Bị từ chối") && dashboard.contains("Sai ngày họp") && dashboard.contains("Trần Văn Bình"),
                    "the officer sees the rejection, its reason and who: \(dashboard.prefix(600))")
            #expect(dashboard.contains("Thôn này chưa có cụm loa nào"), "a hamlet without receivers says so")
            try await visit("announcement", "/console/announcements/new")
            #expect(try await browser.evaluate("document.querySelector('#date').type") as? String == "text")
            let shownDate = try await browser.evaluate("document.querySelector('#date').value") as? String ?? ""
            #expect(shownDate.range(of: #"^\d{2}/\d{2}/\d{4}$"#, options: .regularExpression) != nil, "dates day first: \(shownDate)")
            try await visit("announcement-preview", "/console/announcements/new") {
                try await browser.fill("#title", "Thông báo thu gom rác thải")
                try await browser.fill("#text", "Từ ngày 10/12/2026, xe thu gom rác đi qua các thôn lúc 16h30 thứ Hai và thứ Năm.")
                try await browser.check("#hamlet-thon-a")
                try await browser.check("#hamlet-thon-b")
                try await browser.check("input[name=timing][value=slots]")
                try await browser.check("#slot-chieu")
                try await browser.click("button[value=preview]")
            }
            #expect((texts["announcement-preview"] ?? "").contains("Các lần phát dự kiến"))
            try await visit("emergency", "/console/emergency")
            #expect((texts["emergency"] ?? "").contains("không được duyệt kịp"), "the past warning says what became of it")
            try await visit("calendar", "/console/calendar")
            let calendar = texts["calendar"] ?? ""
            // The evening session holds 45 s and 60 s items: used time in minutes and seconds, not "0/15 phút".
            #expect(calendar.range(of: #"đã dùng \d+ phút \d+ giây / 15 phút"#, options: .regularExpression) != nil && !calendar.contains("0/15 phút"),
                    "\(calendar.prefix(800))")
            try await visit("logs", "/console/logs")
            let logs = texts["logs"] ?? ""
            #expect(try await browser.evaluate("document.querySelectorAll('table.log tbody tr').length") as? Int ?? 0 > 0, "the log is a table")
            #expect(logs.contains("Đã phát xong") && logs.contains("Mời họp dân cuối năm") && logs.contains("Trần Văn Bình"))
            try await visit("delivery", "/console/delivery?item=\(announced.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            let delivery = texts["delivery"] ?? ""
            #expect(delivery.contains("1 thôn không có cụm loa nào nên không ai nghe được: Thôn Bến Đò"), "\(delivery)")
            #expect(!delivery.contains("Đã xong ở mọi cụm loa") && !delivery.contains(announced.id), "no false 'done everywhere', no ids")
            try await visit("transparency", "/transparency")
            let transparency = texts["transparency"] ?? ""
            #expect(transparency.contains("Đã phát trên loa") && transparency.contains("Mời họp dân cuối năm"))
            #expect(transparency.contains("Công khai ngân sách quý III") && transparency.contains("Hạn công khai"), "the disclosure and its Law 10 status")
            #expect(transparency.contains("curl \(base)/log/checkpoint") && !transparency.contains("CONTROLLER"), "check it yourself works as written")

            for (page, text) in texts {
                for found in ["quiet-hours", "can-bo-vh", "chu-tich", "sang, chieu", "@20"] {
                    #expect(!text.contains(found), "\(page) shows '\(found)'")
                }
                #expect(text.range(of: #"\d\.\d+ giây"#, options: .regularExpression) == nil, "\(page): decimals take a comma in Vietnamese")
            }
        } catch {
            print("chromium said: \((try? String(contentsOfFile: browser.logFile, encoding: .utf8))?.suffix(3000) ?? "")")
            browser.close()
            for receiver in receivers { await receiver.stop() }
            await commune.stop()
            throw error
        }
        browser.close()
        for receiver in receivers { await receiver.stop() }
        await commune.stop()
    }

    private func logIn(_ browser: ConsoleBrowser, _ base: String, _ name: String, _ password: String) async throws {
        try await browser.open(URL(string: "\(base)/console/login")!)
        try await browser.fill("#name", name)
        try await browser.fill("#password", password)
        try await browser.click("#login-form button[type=submit]")
    }
}
