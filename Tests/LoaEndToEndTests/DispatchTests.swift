import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

/// The controller keeps each hamlet's document current from the approved
/// schedule, on a clock the test sets, across restarts and a long outage.
@Suite("Dispatching the approved schedule", .serialized)
struct DispatchTests {
    static let site = Site(id: "xa-thu-nghiem", name: "Xã Thử Nghiệm", hamlets: [
        Hamlet(id: "thon-a", name: "Thôn Đông"), Hamlet(id: "thon-b", name: "Thôn Đoài"),
    ])
    static let programme = SampleSchedule.audioProgramme

    /// An instant on the wall clock of Hà Nội (UTC+7).
    static func hanoi(_ text: String) throws -> Date {
        try Date.ISO8601FormatStyle().parse(text + "+07:00")
    }

    /// A controller of the test site on `broker`, keeping its data in `directory`.
    static func configuration(broker: MosquittoBroker, directory: TemporaryDirectory) -> ControllerConfiguration {
        ControllerConfiguration(
            site: site, broker: .init(host: "127.0.0.1", port: broker.port), http: .init(host: "127.0.0.1", port: 0),
            dataDirectory: directory.path("controller").path, allowAnonymousBroker: true)
    }

    /// The ids listed in the hamlet's last published document.
    static func listed(_ controller: Controller, _ zone: String = "thon-a") async throws -> [String] {
        let data = try #require(try await controller.store.latestZoneDocument(zone: zone))
        return try WireCoding.decode(ZoneSchedule.self, from: data).items.map(\.id)
    }

    static func missed(_ controller: Controller) async throws -> [DeviceEvent] {
        try await controller.store.events(device: ScheduleDispatcher.dispatcherName).filter { $0.kind == .missed }
    }

    @Test("nothing airs before approval; a restart mid-day resends the same airings; a long outage and a late approval are recorded as missed, once")
    func dispatchAcrossRestarts() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let directory = try TemporaryDirectory(prefix: "loa-dispatch")
        defer { directory.remove() }
        let configuration = Self.configuration(broker: broker, directory: directory)
        // Monday 30 November 2026, 04:00 in Hà Nội: the morning session is at 05:00, Monday to Saturday.
        let clock = TestClock(try Self.hanoi("2026-11-30T04:00:00"))

        var running = try await InProcessController(configuration: configuration, clock: clock.function)
        let media = try await running.controller.media.addAudio(try sampleAudio("chime.wav"))
        let schedule = SampleSchedule.make(media: media)
        try await running.controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
        await #expect(try Self.listed(running.controller).isEmpty, "nothing is sent before a leader approves")
        try await running.controller.programmes.approve(version: 1, programmeIDs: [Self.programme], by: "chu-tich")
        let monday = "\(Self.programme)@2026-11-30/sang@thon-a", tuesday = "\(Self.programme)@2026-12-01/sang@thon-a"
        await #expect(try Self.listed(running.controller) == [monday, tuesday])
        await #expect(try Self.listed(running.controller, "thon-b") == [
            "\(Self.programme)@2026-11-30/sang@thon-b", "\(Self.programme)@2026-12-01/sang@thon-b",
        ])

        // Restart at noon: the morning airing is past but was sent, so it stays listed under its id
        // (receivers that played it do not play it again); Wednesday enters the window.
        await running.stop()
        clock.set(try Self.hanoi("2026-11-30T12:00:00"))
        running = try await InProcessController(configuration: configuration, clock: clock.function)
        let wednesday = "\(Self.programme)@2026-12-02/sang@thon-a"
        await #expect(try Self.listed(running.controller) == [monday, tuesday, wednesday])
        await #expect(try Self.missed(running.controller).isEmpty)

        // Down from Monday noon to Thursday noon: the last document reached Wednesday noon, so
        // Thursday's morning airing was never sent. It is recorded as missed, not sent late.
        await running.stop()
        clock.set(try Self.hanoi("2026-12-03T12:00:00"))
        running = try await InProcessController(configuration: configuration, clock: clock.function)
        let thursday = "\(Self.programme)@2026-12-03/sang@thon-a"
        await #expect(try Self.listed(running.controller) == [
            "\(Self.programme)@2026-12-04/sang@thon-a", "\(Self.programme)@2026-12-05/sang@thon-a",
        ])
        let outage = try await Self.missed(running.controller).filter { $0.zone == "thon-a" }
        #expect(outage.map(\.item) == [thursday])
        #expect(outage.first?.reason?.contains("máy chủ không hoạt động") == true)

        // A new programme applied and approved at Thursday noon: its morning airing is past.
        var second = schedule
        var notice = schedule.programmes.first { $0.id == Self.programme }!
        notice.id = "thong-bao-moi"
        notice.title = "Thông báo mới"
        second.programmes.append(notice)
        let change = try await running.controller.programmes.applySchedule(second, sourceFiles: [:], by: "can-bo-vh")
        #expect(change.added == ["thong-bao-moi"] && change.awaitingApproval.contains("thong-bao-moi"))
        try await running.controller.programmes.approve(version: 2, programmeIDs: ["thong-bao-moi"], by: "chu-tich")
        let late = try await Self.missed(running.controller).filter { $0.zone == "thon-a" && $0.item.hasPrefix("thong-bao-moi") }
        #expect(late.map(\.item) == ["thong-bao-moi@2026-12-03/sang@thon-a"])
        #expect(late.first?.reason?.contains("approved or scheduled after its time") == true)
        await #expect(try Self.listed(running.controller).contains("thong-bao-moi@2026-12-04/sang@thon-a"))

        // Publishing again records nothing twice.
        let before = try await Self.missed(running.controller).count
        try await running.controller.dispatcher.publishAllSchedules()
        await #expect(try Self.missed(running.controller).count == before)
        #expect(before == 4, "two hamlets: Thursday's outage and the late approval each")
        await running.stop()
    }
}

extension DispatchTests {
    @Test("an approved notice goes into its hamlets' documents for its whole local days, with its attachment; not before approval")
    func noticesOnTheBoards() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let directory = try TemporaryDirectory(prefix: "loa-notices")
        defer { directory.remove() }
        let configuration = Self.configuration(broker: broker, directory: directory)
        let clock = TestClock(try Self.hanoi("2026-11-30T04:00:00"))
        let running = try await InProcessController(configuration: configuration, clock: clock.function)

        await #expect(throws: ControllerError.self, "audio is no notice attachment") {
            try await running.controller.media.addNoticeAttachment(try sampleAudio("chime.wav"))
        }
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 7, count: 64)
        let image = try await running.controller.media.addNoticeAttachment(png)
        #expect(image.contentType == "image/png" && image.durationMs == 0)
        #expect(try await running.controller.store.media(sha256: image.sha256) == image)

        var schedule = SampleSchedule.make()
        schedule.notices = [Notice(
            id: "niem-yet-ngan-sach", title: "Công khai ngân sách 9 tháng", body: "| Nội dung | Số tiền |\n| Thu | 1.250.000.000 đồng |",
            category: .disclosure, targets: .groups(["ven-song"]),
            displayFrom: LocalDate(year: 2026, month: 11, day: 30)!, displayUntil: LocalDate(year: 2026, month: 12, day: 29)!,
            attachment: NoticeAttachment(path: "bang.png", media: image),
            disclosure: Disclosure(item: 2, decisionDate: LocalDate(year: 2026, month: 11, day: 25)!))]
        let change = try await running.controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
        #expect(change.noticesAdded == ["niem-yet-ngan-sach"] && change.awaitingApproval.contains("niem-yet-ngan-sach"))
        for zone in ["thon-a", "thon-b"] {
            let document = try WireCoding.decode(
                ZoneSchedule.self, from: try #require(try await running.controller.store.latestZoneDocument(zone: zone)))
            #expect(document.notices == nil, "nothing is posted before a leader approves")
        }

        let status = try await running.controller.programmes.approve(version: 1, programmeIDs: ["niem-yet-ngan-sach"], by: "chu-tich")
        #expect(status.first { $0.programmeID == "niem-yet-ngan-sach" }?.kind == .notice)
        for zone in ["thon-a", "thon-b"] {
            let document = try WireCoding.decode(
                ZoneSchedule.self, from: try #require(try await running.controller.store.latestZoneDocument(zone: zone)))
            let notice = try #require(document.notices?.first)
            #expect(document.notices?.count == 1)
            #expect(notice.id == "niem-yet-ngan-sach@\(zone)" && notice.noticeId == "niem-yet-ngan-sach")
            #expect(notice.showFrom == (try Self.hanoi("2026-11-30T00:00:00")))
            #expect(notice.showUntil == (try Self.hanoi("2026-12-30T00:00:00")))
            #expect(notice.attachment == image)
            #expect(notice.disclosure?.item == 2)
        }
        await running.stop()
    }
}
