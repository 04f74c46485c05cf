import Foundation
@testable import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// Event ingestion under random input from a device (a bounded fuzz run on the real
/// broker and controller): well-formed events with random fields, and damaged JSON.
/// Whatever comes, the controller stays up, stores only what fits what the device's
/// hamlet was sent, and its log stays intact.
@Suite("Event ingestion under random input (a bounded fuzz run)", .serialized)
struct EventFuzzTests {
    /// How many messages one run sends.
    static let messages = 1000

    @Test("random events and damaged messages from a device: only events that fit what its hamlet was sent are stored; the log verifies")
    func randomEvents() async throws {
        let seed = SeededGenerator.seed(environment: ProcessInfo.processInfo.environment)
        var random = SeededGenerator(seed: seed)
        let commune = try await RegisteredDevice(prefix: "loa-event-fuzz")
        defer { commune.stop() }
        let (store, device) = (commune.running.controller.store, commune.device)
        let topic = Topics(site: DispatchTests.site.id).deviceEvents(device)
        let client = try MQTTClient(options: .init(host: "127.0.0.1", port: commune.broker.port, clientID: device))
        try await client.waitUntilConnected()

        let templates = Self.templates(commune)
        for number in 0..<Self.messages {
            var event = templates.randomElement(using: &random)!
            event.id = "fuzz-\(number)"
            for _ in 0..<Int.random(in: 1...3, using: &random) { Self.mutate(&event, commune, using: &random) }
            var payload = try WireCoding.encode(event)
            if Int.random(in: 0..<10, using: &random) == 0 { Self.damage(&payload, using: &random) }
            try await client.publish(topic: topic, payload: payload)
        }
        // Events are stored in the order they came: once the marker is in, every message before it was handled.
        var marker = templates[0]
        marker.id = "marker"
        try await client.publish(topic: topic, payload: WireCoding.encode(marker))
        #expect(try await eventually(within: .seconds(60)) { try await store.events(device: device).contains { $0.id == "marker" } })
        await client.close()

        let sent = try await store.sentItems(zone: "thon-a", items: [commune.monday])[commune.monday]
        let stored = try await store.events(device: device)
        let earliest = try DispatchTests.hanoi("2026-11-30T04:00:00").addingTimeInterval(-EventAdmission.clockTolerance)
        let latest = commune.clock.now.addingTimeInterval(EventAdmission.clockTolerance)
        for event in stored {
            #expect(event.site == DispatchTests.site.id && event.zone == "thon-a" && event.item == commune.monday, "seed \(seed): \(event)")
            #expect((1...DeviceEvent.Limits.idCharacters).contains(event.id.count) && (event.reason?.count ?? 0) <= 500, "seed \(seed): \(event)")
            #expect(event.at >= earliest && event.at <= latest, "seed \(seed): \(event)")
            #expect(event.playedMs.map { (0...(sent?.durationMs ?? 0) + EventAdmission.playedSlackMs).contains($0) } ?? true, "seed \(seed): \(event)")
            #expect(![.displayed, .stillDisplayed, .takenDown].contains(event.kind), "seed \(seed): \(event)")
        }
        let report = try LogAudit.verify(
            databaseAt: commune.directory.path("controller/loa.sqlite").path, keys: [store.verifierKey])
        #expect(report.isIntact, "seed \(seed): \(report.problems.prefix(3))")
        let refused = try await store.refusalCounts().filter { $0.device == device }
        let byReason = refused.sorted { $0.count > $1.count }.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")
        print("event fuzz (seed \(seed)): \(Self.messages) messages: \(stored.count) stored, \(refused.reduce(0) { $0 + $1.count }) refused (\(byReason))")
    }

    /// Genuine events of the device about Monday's airing.
    static func templates(_ commune: RegisteredDevice) -> [DeviceEvent] {
        let now = commune.clock.now
        let start = now.addingTimeInterval(-30)
        let event = DeviceEvent(
            id: "", device: commune.device, site: DispatchTests.site.id, zone: "thon-a", item: commune.monday, kind: .received,
            at: now.addingTimeInterval(-3600))
        var ready = event, started = event, finished = event, failed = event
        ready.kind = .ready
        started.kind = .started
        started.at = start
        started.measuredStartAt = start.addingTimeInterval(0.002)
        started.startOffsetMs = 2
        finished.kind = .finished
        finished.at = start.addingTimeInterval(1.5)
        finished.playedMs = 1500
        failed.kind = .failed
        failed.reason = "ALSA: thiết bị bận (device busy)"
        return [event, ready, started, finished, failed]
    }

    /// One random change to one field.
    static func mutate(_ event: inout DeviceEvent, _ commune: RegisteredDevice, using random: inout SeededGenerator) {
        func text(_ length: Int) -> String { String((0..<length).map { _ in "aăâbcdđeêghiklmnoôơpqrstuưvxy0-_@/ ".randomElement(using: &random)! }) }
        let instant = commune.clock.now.addingTimeInterval(Double(Int.random(in: -864_000...864_000, using: &random)))
        switch Int.random(in: 0..<11, using: &random) {
        case 0: event.id = [text(0), text(12), text(401), event.id + "-lại"].randomElement(using: &random)!
        case 1: event.device = [DeviceEvent.controllerDevice, "loa-thon-b-1", text(70)].randomElement(using: &random)!
        case 2: event.site = ["xa-khac", text(5), ""].randomElement(using: &random)!
        case 3: event.zone = ["thon-b", text(70), "", "thon-a"].randomElement(using: &random)!
        case 4:
            event.item = [
                "\(DispatchTests.programme)@2026-12-03/sang@thon-a", "\(DispatchTests.programme)@2026-11-30/sang@thon-b",
                text(20), text(300), commune.monday,
            ].randomElement(using: &random)!
        case 5: event.kind = DeviceEvent.Kind.allCases.randomElement(using: &random)!
        case 6: event.at = [instant, Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 253_402_214_400)].randomElement(using: &random)!
        case 7: event.measuredStartAt = instant
        case 8: event.startOffsetMs = Double(Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &random)) / 1000
        case 9: event.playedMs = Int.random(in: -1_000_000_000...1_000_000_000, using: &random)
        default: event.reason = [nil, text(Int.random(in: 0...1000, using: &random))].randomElement(using: &random)!
        }
    }

    /// Damages an encoded message: cut short, a byte changed, or bytes dropped.
    static func damage(_ payload: inout Data, using random: inout SeededGenerator) {
        guard !payload.isEmpty else { return }
        let at = Int.random(in: 0..<payload.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: payload = payload.prefix(at)
        case 1: payload[payload.startIndex + at] = UInt8.random(in: 0...255, using: &random)
        default: payload.removeSubrange(payload.startIndex + at..<min(payload.endIndex, payload.startIndex + at + 8))
        }
    }
}
