import Foundation
import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaStore
import LoaHarness
import Synchronization
import Testing

/// A broker that is down must not hold up the officer: what is stored is answered at once.
@Suite("Announcing while the broker is down", .serialized)
struct BrokerOutageTests {
    @Test("an announcement sent while the broker is down is stored and answered as pending, and goes out when the broker is back")
    func announceWhileBrokerIsDown() async throws {
        let commune = try await Commune()
        let media = try await commune.controller.media.addAudio(try sampleAudio("chime.wav"))
        commune.broker.stop()

        let finished = Mutex(false)
        let sending = Task {
            defer { finished.withLock { $0 = true } }
            return try await commune.controller.announcements.send(AnnouncementRequest(
                title: "Họp dân khẩn", category: .dialogue, media: media.sha256, hamlets: ["thon-a"],
                startAt: Date().addingTimeInterval(3600)))
        }
        // The broker stays down until the answer is in (the old controller waited for it forever).
        let answered = try await eventually(within: .seconds(30)) { finished.withLock { $0 } }
        guard answered else {
            Issue.record("the announcement is still waiting on the broker")
            try commune.broker.restart()
            _ = try? await sending.value
            return await commune.stop()
        }
        let sent = try await sending.value
        #expect(sent.delivery == .pending)
        #expect(try await commune.controller.store.announcement(id: sent.announcement.id) != nil, "stored before the answer")
        let answer = String(decoding: try WireCoding.encode(sent), as: UTF8.self)
        #expect(answer.contains("\"delivery\":\"pending\"") && answer.contains("\"id\":\"\(sent.announcement.id)\""))

        // The broker is back: the hamlet's retained document lists it.
        try commune.broker.restart()
        let listener = try MQTTClient(options: .init(host: "127.0.0.1", port: commune.broker.port, clientID: "outage-listener"))
        try await listener.waitUntilConnected()
        let topic = Topics(site: commune.site.id).zoneSchedule("thon-a")
        try await listener.subscribe(topic, qos: .atLeastOnce)
        let listed = Mutex(false)
        let listening = Task {
            for await message in listener.messages where message.topic == topic {
                if String(decoding: message.payload, as: UTF8.self).contains(sent.announcement.id) { listed.withLock { $0 = true } }
            }
        }
        #expect(try await eventually(within: .seconds(30)) { listed.withLock { $0 } })
        listening.cancel()
        await listener.close()
        await commune.stop()
    }

    @Test("an airing that a broker outage kept from a hamlet is recorded as not delivered, not as 'approved after its time'")
    func outageIsNamedAsSuch() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let directory = try TemporaryDirectory(prefix: "loa-outage-reason")
        defer { directory.remove() }
        // Monday 30 November 2026, 04:00 in Hà Nội.
        let clock = TestClock(try DispatchTests.hanoi("2026-11-30T04:00:00"))
        let running = try await InProcessController(
            configuration: DispatchTests.configuration(broker: broker, directory: directory), clock: clock.function)
        let media = try await running.controller.media.addAudio(try sampleAudio("chime.wav"))
        broker.stop()
        // Stored at 04:00 for 04:05 in both hamlets; the broker takes nothing until 04:10.
        let sent = try await running.controller.announcements.send(AnnouncementRequest(
            title: "Lịch tiêm chủng", category: .other, media: media.sha256, hamlets: ["thon-a", "thon-b"],
            startAt: try DispatchTests.hanoi("2026-11-30T04:05:00")))
        #expect(sent.delivery == .pending)
        clock.set(try DispatchTests.hanoi("2026-11-30T04:10:00"))
        try broker.restart()
        let item = "\(sent.announcement.id)@thon-b"
        #expect(try await eventually { try await DispatchTests.missed(running.controller).contains { $0.item == item } })
        let reason = try await DispatchTests.missed(running.controller).first { $0.item == item }?.reason ?? ""
        #expect(reason.contains("not delivered before its time"), "\(reason)")
        #expect(!reason.contains("after its time;"), "\(reason)")
        // Both hamlets' documents waited for the broker: the airing reached neither in time.
        let first = try await DispatchTests.missed(running.controller).first { $0.item == "\(sent.announcement.id)@thon-a" }
        #expect(first?.reason?.contains("not delivered before its time") == true, "\(first?.reason ?? "not recorded")")
        await running.stop()
    }
}
