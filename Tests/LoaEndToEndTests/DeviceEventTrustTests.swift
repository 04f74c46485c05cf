import Foundation
import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaStore
import LoaProvisioning
import LoaHarness
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a device sends up is a claim: it may not bend the controller's own records.
@Suite("Events from devices cannot erase or forge the controller's records", .serialized)
struct DeviceEventTrustTests {
    @Test("a device that sends the controller's predictable 'missed' id first does not erase the controller's record; events under the controller's name are refused")
    func controllerIDsAreTheControllersOwn() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let directory = try TemporaryDirectory(prefix: "loa-event-ids")
        defer { directory.remove() }
        let configuration = DispatchTests.configuration(broker: broker, directory: directory)
        // Monday 30 November 2026, 04:00 in Hà Nội; the schedule airs every morning at 05:00.
        let clock = TestClock(try DispatchTests.hanoi("2026-11-30T04:00:00"))
        var running = try await InProcessController(configuration: configuration, clock: clock.function)
        let media = try await running.controller.media.addAudio(try sampleAudio("chime.wav"))
        try await running.controller.programmes.applySchedule(SampleSchedule.make(media: media), sourceFiles: [:], by: "can-bo-vh")
        try await running.controller.programmes.approve(version: 1, programmeIDs: [DispatchTests.programme], by: "chu-tich")

        // Thursday's airing is not sent yet; its 'missed' record would have this id.
        let thursday = "\(DispatchTests.programme)@2026-12-03/sang@thon-a"
        let topics = Topics(site: DispatchTests.site.id)
        let device = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "loa-thon-a-1"))
        try await device.waitUntilConnected()
        let squatter = DeviceEvent(
            id: "missed-by-controller:\(thursday)", device: "loa-thon-a-1", site: DispatchTests.site.id, zone: "thon-a",
            item: thursday, kind: .finished, at: clock.now, playedMs: 1000)
        try await device.publish(topic: topics.deviceEvents("loa-thon-a-1"), payload: WireCoding.encode(squatter))
        // And a claim under the controller's own name, on the controller's topic.
        var impostor = squatter
        impostor.id = "by-impostor"
        impostor.device = DeviceEvent.controllerDevice
        try await device.publish(topic: topics.deviceEvents(DeviceEvent.controllerDevice), payload: WireCoding.encode(impostor))
        // A last event of the device's own shows the ones before it were handled.
        var marker = squatter
        marker.id = "marker"
        try await device.publish(topic: topics.deviceEvents("loa-thon-a-1"), payload: WireCoding.encode(marker))
        // (Forged on an item never sent, it is refused outright; the marker too: they are handled once refused.)
        #expect(try await eventually { try await running.controller.store.refusedEvents(device: "loa-thon-a-1").contains { $0.eventID == "marker" } })
        #expect(try await running.controller.store.events(device: DeviceEvent.controllerDevice).isEmpty, "the impostor's event was stored")
        await device.close()

        // Down until Thursday noon: Thursday's airing was never sent, and the controller says so.
        await running.stop()
        clock.set(try DispatchTests.hanoi("2026-12-03T12:00:00"))
        running = try await InProcessController(configuration: configuration, clock: clock.function)
        let missed = try await running.controller.store.events(device: DeviceEvent.controllerDevice).filter { $0.zone == "thon-a" }
        #expect(missed.map(\.item) == [thursday], "the controller's record of the missed airing")
        #expect(missed.first?.kind == .missed)
        await running.stop()
    }

    @Test("forged but well-formed events are refused, counted by reason in /metrics and kept as evidence outside the log; a true one is stored; a resent forgery counts once; refused ids are receipted")
    func forgedEventsAreRefused() async throws {
        let commune = try await RegisteredDevice(prefix: "loa-forged-events")
        defer { commune.stop() }
        let (running, device, clock, broker, monday) = (commune.running, commune.device, commune.clock, commune.broker, commune.monday)
        let logSize = running.controller.store.logSize

        let topics = Topics(site: DispatchTests.site.id)
        let client = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: device))
        try await client.waitUntilConnected()
        try await client.subscribe(topics.deviceReceipts(device), qos: .atLeastOnce)
        let receipts = Mutex("")
        let listening = Task {
            for await message in client.messages { receipts.withLock { $0 += String(decoding: message.payload, as: UTF8.self) } }
        }
        let genuine = DeviceEvent(
            id: "true-finish", device: device, site: DispatchTests.site.id, zone: "thon-a", item: monday, kind: .finished,
            at: clock.now, playedMs: 900)
        func forged(_ id: String, _ change: (inout DeviceEvent) -> Void) -> DeviceEvent {
            var event = genuine
            event.id = id
            change(&event)
            return event
        }
        let forgeries: [(DeviceEvent, EventRefusal)] = [
            (forged("other-hamlet") { $0.zone = "thon-b"; $0.item = "\(DispatchTests.programme)@2026-11-30/sang@thon-b" }, .wrongHamlet),
            (forged("other-hamlets-item") { $0.item = "\(DispatchTests.programme)@2026-11-30/sang@thon-b" }, .unknownItem),
            (forged("no-such-item") { $0.item = "bia-dat@2026-11-30/sang@thon-a" }, .unknownItem),
            (forged("other-site") { $0.site = "xa-khac" }, .wrongSite),
            (forged("other-device") { $0.device = "loa-thon-a-2" }, .wrongDevice),
            (forged("") { _ in }, .oversized),
            (forged("long-reason") { $0.kind = .failed; $0.reason = String(repeating: "x", count: 600) }, .oversized),
            (forged("negative") { $0.playedMs = -5 }, .implausibleFigure),
            (forged("ten-hours") { $0.playedMs = 36_000_000 }, .implausibleFigure),
            (forged("offset") { $0.kind = .started; $0.startOffsetMs = 9e12 }, .implausibleFigure),
            (forged("clock-on-finish") { $0.clockOffsetMs = 12; $0.clockUncertaintyMs = 1 }, .implausibleFigure),
            (forged("clock-without-bound") { $0.kind = .started; $0.clockOffsetMs = 12 }, .implausibleFigure),
            (forged("sound-score-2") { $0.soundHeard = true; $0.soundScore = 2 }, .implausibleFigure),
            (forged("sound-on-start") { $0.kind = .started; $0.soundHeard = true; $0.soundScore = 0.9 }, .implausibleFigure),
            (forged("year-9999") { $0.at = Date(timeIntervalSince1970: 253_402_214_400) }, .implausibleTime),
            (forged("before-it-was-sent") { $0.kind = .received; $0.at = clock.now.addingTimeInterval(-86_400) }, .implausibleTime),
            (forged("board-kind") { $0.kind = .displayed }, .wrongKind),
        ]
        let events = topics.deviceEvents(device)
        for (event, _) in forgeries {
            try await client.publish(topic: events, payload: WireCoding.encode(event))
        }
        var huge = genuine
        huge.id = "250-kb-reason"
        huge.reason = String(repeating: "đ", count: 125_000)
        try await client.publish(topic: events, payload: WireCoding.encode(huge))
        try await client.publish(topic: events, payload: Data("not json".utf8))
        // The same forgery again (a restart resends its outbox): kept and counted once.
        try await client.publish(topic: events, payload: WireCoding.encode(forgeries[2].0))
        try await client.publish(topic: events, payload: WireCoding.encode(genuine))

        let store = running.controller.store
        let expectedRefusals = forgeries.count + 2
        #expect(try await eventually { try await store.refusedEvents(device: device).count == expectedRefusals })
        #expect(try await eventually { try await store.events(device: device).map(\.id) == ["true-finish"] })
        #expect(store.logSize == logSize + 1, "only the true event entered the transparency log")

        var expected: [String: Int] = [EventRefusal.malformed.rawValue: 2]
        for (_, reason) in forgeries { expected[reason.rawValue, default: 0] += 1 }
        var counted: [String: Int] = [:]
        for count in try await store.refusalCounts() where count.device == device { counted[count.reason] = count.count }
        #expect(counted == expected)
        let refused = try await store.refusedEvents(device: device)
        #expect(refused.first { $0.eventID == "long-reason" }?.detail == "reason is 600 characters long; at most 500")
        #expect(refused.first { $0.eventID == nil && $0.payloadBytes > 200_000 }?.excerpt.utf8.count ?? .max <= RefusedEvent.excerptBytes)

        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(running.httpPort)/metrics")!)
        let admin = try APIToken.load(from: APIToken.file(in: running.controller.configuration.dataDirectory))
        request.setValue("Bearer \(admin)", forHTTPHeaderField: "Authorization")
        let text = String(decoding: try await LoopbackHTTP.data(for: request).0, as: UTF8.self)
        #expect(text.contains("loa_device_events_refused_total{reason=\"unknown-item\"} 2"))
        #expect(text.contains("loa_device_events_refused_total{reason=\"malformed\"} 2"))

        // The evidence over the API (operator, admin), latest first.
        var evidence = URLRequest(url: URL(string: "http://127.0.0.1:\(running.httpPort)/api/v1/devices/refused-events?device=\(device)")!)
        evidence.setValue("Bearer \(admin)", forHTTPHeaderField: "Authorization")
        let kept = try WireCoding.decode([RefusedEvent].self, from: try await LoopbackHTTP.data(for: evidence).0)
        #expect(kept.count == expectedRefusals && kept.contains { $0.eventID == "year-9999" && $0.reason == "implausible-time" })

        // The operator sees them on the dashboard, on the device's row.
        _ = try await store.addUser(
            name: "van-hanh", displayName: "Người vận hành", roles: [.operator], password: ConsoleRoutesTests.password, at: Date())
        let cookie = try await ConsoleRoutesTests.logIn(port: running.httpPort, "van-hanh")
        let dashboard = try await ConsoleRoutesTests.get(port: running.httpPort, "/console/dashboard", cookie: cookie).html
        let row = try #require(dashboard.components(separatedBy: "<tr>").first { $0.contains(device) }, "no row for \(device)")
        #expect(row.contains("\(expectedRefusals) sự kiện bị từ chối") && row.contains("bản tin chưa từng gửi tới thôn: 2"), "\(row)")

        // Refused events are receipted too, so the device stops resending them.
        #expect(try await eventually {
            receipts.withLock { text in ["no-such-item", "year-9999", "true-finish"].allSatisfy(text.contains) }
        })
        listening.cancel()
        await client.close()
    }
}

/// A controller on a test clock at Monday 30 November 2026, 05:00:30 in Hà Nội, whose
/// 05:00 airing of the sample schedule was sent to `thon-a`, and one device the registry
/// puts in `thon-a`: what events from a device are checked against.
final class RegisteredDevice: Sendable {
    let broker: MosquittoBroker
    let directory: TemporaryDirectory
    let clock: TestClock
    let running: InProcessController
    /// The registered device's id.
    let device: String
    /// The id of Monday's airing in `thon-a`.
    let monday = "\(DispatchTests.programme)@2026-11-30/sang@thon-a"

    init(prefix: String) async throws {
        broker = try MosquittoBroker()
        directory = try TemporaryDirectory(prefix: prefix)
        let configuration = DispatchTests.configuration(broker: broker, directory: directory)
        // Monday 04:00: the schedule is applied and approved, the 05:00 airing sent.
        clock = TestClock(try DispatchTests.hanoi("2026-11-30T04:00:00"))
        running = try await InProcessController(configuration: configuration, clock: clock.function)
        var registry = DeviceRegistry()
        device = try registry.add(site: DispatchTests.site.id, hamlet: "thon-a").username
        try registry.save(to: directory.path("controller/devices.json"))
        let media = try await running.controller.media.addAudio(try sampleAudio("chime.wav"))
        try await running.controller.programmes.applySchedule(SampleSchedule.make(media: media), sourceFiles: [:], by: "can-bo-vh")
        try await running.controller.programmes.approve(version: 1, programmeIDs: [DispatchTests.programme], by: "chu-tich")
        await #expect(try DispatchTests.listed(running.controller).contains(monday))
        // 05:00:30: Monday's airing has just played.
        clock.set(try DispatchTests.hanoi("2026-11-30T05:00:30"))
    }

    func stop() {
        let (running, broker, directory) = (running, broker, directory)
        Task {
            await running.stop()
            broker.stop()
            directory.remove()
        }
    }
}

