import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaReceiver
import LoaHarness
import Testing

/// Sample notices, in Vietnamese, as the controller puts them in a hamlet's document.
enum SampleNotices {
    static let hamlet = "thon-a"
    /// A small PNG (the flag's colours) to attach.
    static let picture = Data(base64Encoded: """
        iVBORw0KGgoAAAANSUhEUgAAAGAAAAA8CAIAAAAWtijjAAAAdklEQVR42u3QQQ0AIBADwZOAEvxL4IOmwwH8IMA0K6CZaKVqUiAABAgQIECAAAESIECAAAECBAiQAAECBAgQIECANpSrAQIECNDHQNlPt9zRe4AAAQIECNC9IQAECBAgQIAAARIgQIAAAQIECJAAAQIECBCgJxrfUncUUcz3+wAAAABJRU5ErkJggg==
        """)!

    /// Midnight of the day of `instant` in Vietnam (UTC+7), `days` later.
    static func midnight(_ instant: Date, days: Int = 0) -> Date {
        let local = (instant.timeIntervalSince1970 + 7 * 3600) / 86_400
        return Date(timeIntervalSince1970: (local.rounded(.down) + Double(days)) * 86_400 - 7 * 3600)
    }

    /// A disclosure of health-insurance cards (Art. 11 item 7), posted 30 days from today, with a beneficiary table.
    static func disclosure(now: Date, attachment: MediaReference? = nil) -> BoardNotice {
        BoardNotice(
            id: "the-bhyt@\(hamlet)", noticeId: "the-bhyt", title: "Danh sách cấp thẻ BHYT năm 2027",
            body: """
                Người được cấp thẻ do ngân sách nhà nước đóng; ý kiến gửi bộ phận một cửa.

                | STT | Họ và tên | Đối tượng | Thôn |
                |---|---|---|---|
                | 1 | Nguyễn Văn An | Hộ nghèo | Đông |
                | 2 | Trần Thị Bình | Người cao tuổi | Đông |
                | 3 | Lê Văn Cường | Trẻ em dưới 6 tuổi | Đông |
                """,
            category: .disclosure, showFrom: midnight(now), showUntil: midnight(now, days: 30), attachment: attachment,
            disclosure: Disclosure(item: 7, decisionDate: LocalDate(year: 2026, month: 11, day: 20)!))
    }

    /// A meeting notice posted since yesterday.
    static func meeting(now: Date, until: Date? = nil) -> BoardNotice {
        BoardNotice(
            id: "doi-thoai@\(hamlet)", noticeId: "doi-thoai", title: "Hội nghị đối thoại với Nhân dân",
            body: "Thời gian: 8 giờ sáng Chủ nhật.\nĐịa điểm: nhà văn hóa thôn Đông.\n\nNội dung:\n- Làm đường liên thôn\n- Thu gom rác",
            category: .dialogue, showFrom: midnight(now, days: -1), showUntil: until ?? midnight(now, days: 6))
    }

    /// A fire warning shown from now for an hour.
    static func fire(now: Date) -> BoardNotice {
        BoardNotice(
            id: "chay-rung@\(hamlet)", noticeId: "chay-rung", title: "Cảnh báo cháy rừng cấp V",
            body: "Cấm đốt nương rẫy, đốt rác gần rừng. Phát hiện cháy báo ngay số 114.",
            category: .emergency, showFrom: now.addingTimeInterval(-60), showUntil: now.addingTimeInterval(3600))
    }
}

@Suite("The receiver's notice board, on real parts and in a real browser", .serialized)
struct NoticeBoardTests {
    @Test("a disclosure with a beneficiary table is shown in Vietnamese, and the browser's report reaches the controller's log")
    func disclosureIsShownAndReported() async throws {
        try #require(Chromium.isInstalled, "headless Chromium is needed: apt-get install chromium")
        let commune = try await Commune()
        let board = try await BoardDevice(commune, device: "bang-a1")
        try await board.start()
        let now = Date()
        let media = MediaReference(
            sha256: MediaDigest.sha256(SampleNotices.picture), bytes: SampleNotices.picture.count,
            contentType: "image/png", durationMs: 0)
        // The picture is already in the device's cache, verified by hash as if downloaded.
        try SampleNotices.picture.write(
            to: URL(fileURLWithPath: board.configuration.stateDirectory).appendingPathComponent("media/\(media.sha256)"))
        let disclosure = SampleNotices.disclosure(now: now, attachment: media)
        let meeting = SampleNotices.meeting(now: now)
        try await board.publish([meeting, disclosure])
        let shown = try await board.board { $0.ids.count == 2 }
        #expect(shown.ids == [disclosure.id, meeting.id], "the newest posting comes first")

        let url = try await board.url("/")
        let screenshot = TestArtifacts.screenshots.appendingPathComponent("board-notice.png")
        try await Chromium.screenshot(url, to: screenshot)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int)
        #expect(size > 20_000, "the screenshot is \(size) bytes")

        let dom = try await Chromium.dom(url)
        for text in [
            "lang=\"vi\"", "Danh sách cấp thẻ BHYT năm 2027", "Trang 1/2", "Trang 2/2",
            "Công khai theo Điều 11 Luật 10/2022, mục 7", "<th>Họ và tên</th>", "<td>Trần Thị Bình</td>",
            "Niêm yết từ \(BoardTestDates.vietnamese(disclosure.showFrom)) đến \(BoardTestDates.vietnamese(disclosure.showUntil.addingTimeInterval(-1)))",
            "Thôn Đông · Xã Thử Nghiệm", "/attachments/\(media.sha256)", "<li>Làm đường liên thôn</li>",
        ] {
            #expect(dom.contains(text), "the rendered page lacks \(text)")
        }
        #expect(!dom.contains("KHẨN CẤP"))

        // The page's script reported what it shows; the controller stored it.
        for notice in [disclosure, meeting] {
            let displayed = try await board.events(notice.id, .displayed, count: 1)
            #expect(displayed.count == 1, "no displayed event for \(notice.id)")
        }

        let (picture, status) = try await HTTP.get(try await board.url("/attachments/\(media.sha256)"))
        #expect(status == 200 && picture == SampleNotices.picture)
        #expect(try await HTTP.get(try await board.url("/attachments/\(String(repeating: "ab", count: 32))")).1 == 404)
        #expect(try await HTTP.get(try await board.url("/admin")).1 == 404)
        let huge = Data(#"{"ids":[""#.utf8) + Data(repeating: 0x61, count: 70_000) + Data(#""]}"#.utf8)
        #expect(try await HTTP.post(try await board.url("/displayed"), json: huge) == 413)
        #expect(try await HTTP.post(try await board.url("/displayed"), json: Data(#"{"ids":[]}"#.utf8), contentType: "text/plain") == 415)

        await board.close()
        await commune.stop()
    }

    @Test("an emergency notice takes the screen over in red, and the rotation returns when it is withdrawn")
    func emergencyTakesOver() async throws {
        try #require(Chromium.isInstalled, "headless Chromium is needed: apt-get install chromium")
        let commune = try await Commune()
        let board = try await BoardDevice(commune, device: "bang-a2")
        try await board.start()
        let now = Date()
        let meeting = SampleNotices.meeting(now: now)
        let fire = SampleNotices.fire(now: now)
        try await board.publish([meeting, fire])
        let takeover = try await board.board { $0.mode == "emergency" }
        #expect(takeover.ids == [fire.id])

        let url = try await board.url("/")
        let screenshot = TestArtifacts.screenshots.appendingPathComponent("board-emergency.png")
        try await Chromium.screenshot(url, to: screenshot)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int)
        #expect(size > 10_000, "the screenshot is \(size) bytes")
        let dom = try await Chromium.dom(url)
        #expect(dom.contains("KHẨN CẤP"))
        #expect(dom.contains("Cảnh báo cháy rừng cấp V"))
        #expect(dom.contains("class=\"takeover\""))
        #expect(!dom.contains(meeting.title), "the normal notice is on the screen during the emergency")
        #expect(try await board.events(fire.id, .displayed, count: 1).count == 1)

        // Withdrawn: the normal rotation returns, and the board reports the emergency taken down.
        try await board.publish([meeting])
        let normal = try await board.board { $0.mode == "normal" }
        #expect(normal.ids == [meeting.id])
        let takenDown = try await board.events(fire.id, .takenDown, count: 1)
        #expect(takenDown.first?.reason == DisplayRecorder.withdrawnReason)
        let after = try await Chromium.dom(url)
        #expect(after.contains(meeting.title) && !after.contains("KHẨN CẤP"))

        await board.close()
        await commune.stop()
    }

    @Test("while an emergency audio item plays on the device's speaker, its board shows it in red; then the normal board returns")
    func emergencyAudioTakesOver() async throws {
        let commune = try await Commune()
        // A speaker paced like a sound card (the plain file PCM "plays" 5 s in a few ms).
        var configuration = try commune.receiverConfiguration("loa-bang-a4", hamlet: "thon-a")
        configuration.board = BoardSettings(port: 0)
        let device = try await PacedReceiver(configuration: configuration)
        device.start()
        var port: Int?
        for _ in 0..<100 where port == nil {
            port = await device.receiver.boardPort
            try await Task.sleep(for: .milliseconds(50))
        }
        let base = "http://127.0.0.1:\(try #require(port))"
        // The controller's own documents (its version numbers) carry the audio: no notices here.
        let media = try await commune.controller.media.addAudio(try sampleAudio("thong-bao-mau.wav"))
        let alarm = try await commune.controller.announcements.announce(.init(
            title: "Báo cháy khu chợ", category: .emergency, priority: .emergency, media: media.sha256, hamlets: ["thon-a"],
            startAt: Date().addingTimeInterval(1.5)))
        let during = try await BoardDevice.board(at: URL(string: base + "/board.json")!) { $0.mode == "emergency-audio" }
        #expect(during.mode == "emergency-audio")
        let (page, _) = try await HTTP.get(URL(string: base + "/")!)
        let html = String(decoding: page, as: UTF8.self)
        #expect(html.contains("KHẨN CẤP") && html.contains("Báo cháy khu chợ") && html.contains("class=\"takeover\""))
        let finished = try await commune.waitForEvents(item: "\(alarm.id)@thon-a", kind: .finished, from: ["loa-bang-a4"])
        #expect(finished.count == 1)
        let after = try await BoardDevice.board(at: URL(string: base + "/board.json")!) { $0.mode == "normal" }
        #expect(after.mode == "normal")
        await device.stop()
        await commune.stop()
    }

    @Test("proof of display on a settable clock: one still-displayed an hour reported, none for a dark hour, kept across a restart; taken down at the end and on withdrawal")
    func proofOfDisplayFollowsTheClock() async throws {
        // Ten minutes into the next clock hour; the controller reads the same clock (it
        // refuses events from a device whose clock is hours off its own).
        let hour1 = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600 + 3600
        let clock = TestClock(Date(timeIntervalSince1970: hour1 + 600))
        let commune = try await Commune(clock: clock.function)
        let board = try await BoardDevice(commune, device: "bang-a3", clock: clock.function)
        try await board.start()
        let expiring = SampleNotices.meeting(now: clock.now, until: Date(timeIntervalSince1970: hour1 + 3 * 3600 + 1800))
        let lasting = SampleNotices.disclosure(now: clock.now)
        try await board.publish([expiring, lasting])
        _ = try await board.board { $0.ids.count == 2 }

        // Hour 1: two reports, a restart in between.
        try await board.reportShown([expiring.id, lasting.id])
        clock.set(Date(timeIntervalSince1970: hour1 + 1800))
        await board.stop()
        try await board.start()
        try await board.reportShown([expiring.id, lasting.id])
        // Hour 2: the screen is dark, nothing reported.
        clock.set(Date(timeIntervalSince1970: hour1 + 3600 + 300))
        await board.receiver.checkBoard()
        // Hour 3: reported once; it is closed by the check in hour 4.
        clock.set(Date(timeIntervalSince1970: hour1 + 2 * 3600 + 600))
        try await board.reportShown([expiring.id])
        clock.set(Date(timeIntervalSince1970: hour1 + 3 * 3600 + 60))
        await board.receiver.checkBoard()

        let still = try await board.events(expiring.id, .stillDisplayed, count: 2)
        #expect(still.map(\.at).sorted() == [hour1 + 3600, hour1 + 3 * 3600].map { Date(timeIntervalSince1970: $0) })
        #expect(try await board.events(expiring.id, .displayed, count: 1).count == 1)
        #expect(try await board.events(lasting.id, .stillDisplayed, count: 1).map(\.at) == [Date(timeIntervalSince1970: hour1 + 3600)])

        // Its period ends: taken down, and no longer served.
        clock.set(Date(timeIntervalSince1970: hour1 + 3 * 3600 + 1801))
        await board.receiver.checkBoard()
        let expired = try await board.events(expiring.id, .takenDown, count: 1)
        #expect(expired.map(\.reason) == [DisplayRecorder.expiredReason])
        #expect(try await board.board().ids == [lasting.id])

        // Withdrawn by a newer document.
        try await board.publish([])
        let withdrawn = try await board.events(lasting.id, .takenDown, count: 1)
        #expect(withdrawn.map(\.reason) == [DisplayRecorder.withdrawnReason])
        #expect(try await board.board { $0.ids.isEmpty }.ids.isEmpty)

        // Nothing was doubled.
        try await Task.sleep(for: .seconds(1))
        #expect(try await board.events(expiring.id, .stillDisplayed, count: 99, within: .zero).count == 2)
        #expect(try await board.events(expiring.id, .takenDown, count: 99, within: .zero).count == 1)

        await board.close()
        await commune.stop()
    }

    @Test("a device needs a speaker or a board and an HTTP(S) controller; old settings files still load; the board's defaults")
    func settings() throws {
        let directory = try TemporaryDirectory(prefix: "loa-board-settings")
        defer { directory.remove() }
        var configuration = ReceiverConfiguration(
            deviceID: "loa-x", site: "xa", hamlet: "thon-a", broker: .init(host: "127.0.0.1", port: 1883),
            controllerKey: "k", mediaBaseURL: "http://127.0.0.1:8080", mediaToken: "t",
            stateDirectory: directory.path("state").path, audio: nil)
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        do {
            _ = try Receiver(configuration: configuration)
            Issue.record("a receiver with neither a speaker nor a board was made")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("neither \"audio\" nor \"board\""))
        }
        configuration.board = BoardSettings(port: 8090)
        try configuration.validate()
        var ftp = configuration
        ftp.mediaBaseURL = "ftp://127.0.0.1/loa"
        let refused = #expect(throws: ConfigurationError.self) { try ftp.validate() }
        #expect(refused?.description.contains("mediaBaseURL 'ftp://127.0.0.1/loa' is not an http:// or https:// address") == true)

        let old = #"""
            {"deviceID": "loa-x", "site": "xa", "hamlet": "thon-a", "broker": {"host": "127.0.0.1", "port": 1883},
             "controllerKey": "k", "mediaBaseURL": "http://127.0.0.1:8080", "mediaToken": "t",
             "stateDirectory": "/tmp/x", "audio": {"device": "default"}}
            """#
        let loaded = try JSONDecoder().decode(ReceiverConfiguration.self, from: Data(old.utf8))
        #expect(loaded.board == nil && loaded.audio?.device == "default")
        let boardOnly = try JSONDecoder().decode(BoardSettings.self, from: Data(#"{"port": 8090}"#.utf8))
        #expect(boardOnly == BoardSettings(host: "127.0.0.1", port: 8090, rotateSeconds: 20))
    }
}

@Suite("Proof of display, hour by hour", .serialized)
struct DisplayRecorderTests {
    let hour = Date(timeIntervalSince1970: 1_796_000_400)  // 10:00 UTC: the start of an hour (17:00 in Vietnam)
    func at(_ minutes: Double) -> Date { hour.addingTimeInterval(minutes * 60) }
    func notice(_ id: String, untilMinute: Double = 600) -> BoardNotice {
        BoardNotice(id: id, noticeId: id, title: id, body: "", category: .other, showFrom: at(-60), showUntil: at(untilMinute))
    }

    @Test("two reports in one hour make one displayed and one still-displayed at the end of the hour")
    func oneHour() {
        let notices = [notice("a")]
        var recorder = DisplayRecorder()
        #expect(recorder.documentChanged(to: notices, now: at(0)).isEmpty)
        let first = recorder.pageShowed(["a"], shown: notices, now: at(5))
        #expect(first.map(\.kind) == [.displayed])
        #expect(recorder.pageShowed(["a"], shown: notices, now: at(50)).isEmpty)
        #expect(recorder.tick(now: at(59)).isEmpty)
        let closed = recorder.tick(now: at(61))
        #expect(closed.map(\.kind) == [.stillDisplayed])
        #expect(closed.first?.at == at(60))
        #expect(recorder.tick(now: at(200)).isEmpty)
    }

    @Test("reports in hours 1 and 3 but not 2 give still-displayed for hours 1 and 3 only")
    func darkHour() {
        let notices = [notice("a")]
        var recorder = DisplayRecorder()
        _ = recorder.documentChanged(to: notices, now: at(0))
        var events = recorder.pageShowed(["a"], shown: notices, now: at(10))
        events += recorder.tick(now: at(70))
        events += recorder.pageShowed(["a"], shown: notices, now: at(130))
        events += recorder.pageShowed(["a"], shown: notices, now: at(190))  // the next report closes hour 3
        let still = events.filter { $0.kind == .stillDisplayed }
        #expect(still.map(\.at) == [at(60), at(180)])
        #expect(Set(still.map(\.key)).count == 2)
    }

    @Test("a notice whose period ends is taken down as expired; one withdrawn as withdrawn; reports of others are ignored")
    func takenDown() {
        var recorder = DisplayRecorder()
        let notices = [notice("a", untilMinute: 30), notice("b")]
        _ = recorder.documentChanged(to: notices, now: at(0))
        let shown = recorder.pageShowed(["a", "b", "forged"], shown: notices, now: at(1))
        #expect(shown.map(\.item) == ["a", "b"])
        let expired = recorder.tick(now: at(31))
        #expect(expired.map(\.kind) == [.takenDown])
        #expect(expired.first?.reason == DisplayRecorder.expiredReason)
        let withdrawn = recorder.documentChanged(to: [], now: at(40))
        #expect(withdrawn.map(\.item) == ["b"])
        #expect(withdrawn.first?.reason == DisplayRecorder.withdrawnReason)
        // The hour's reports are still closed afterwards, once each.
        #expect(recorder.tick(now: at(61)).map(\.kind) == [.stillDisplayed, .stillDisplayed])
        #expect(recorder.ledger.records.isEmpty)
    }

    @Test("a notice never reported is not taken down; one posted again is displayed again under a new key")
    func postedAgain() {
        var recorder = DisplayRecorder()
        let notices = [notice("a")]
        _ = recorder.documentChanged(to: notices, now: at(0))
        #expect(recorder.documentChanged(to: [], now: at(1)).isEmpty)
        _ = recorder.documentChanged(to: notices, now: at(2))
        let first = recorder.pageShowed(["a"], shown: notices, now: at(3))
        _ = recorder.documentChanged(to: [], now: at(4))
        _ = recorder.documentChanged(to: notices, now: at(5))
        let again = recorder.pageShowed(["a"], shown: notices, now: at(6))
        #expect(first.map(\.kind) == [.displayed] && again.map(\.kind) == [.displayed])
        #expect(first.first?.key != again.first?.key)
    }
}

/// Dates as the board writes them.
enum BoardTestDates {
    static func vietnamese(_ instant: Date) -> String {
        LocalDate(dayNumber: Int(((instant.timeIntervalSince1970 + 7 * 3600) / 86_400).rounded(.down))).vietnameseDescription
    }
}
