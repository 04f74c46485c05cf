import Foundation
import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The controller killed in the middle of ingestion loses nothing and doubles
/// nothing: what it stored before the kill is still there, byte for byte; the
/// receivers' resends fill in the rest exactly once; the chain and the signed
/// checkpoints check out.
@Suite("A controller killed while ingesting", .serialized)
struct ControllerCrashTests {
    static let site = Site(id: "xa-thu-nghiem", name: "Xã Thử Nghiệm", hamlets: [
        Hamlet(id: "thon-a", name: "Thôn Đông"), Hamlet(id: "thon-b", name: "Thôn Đoài"),
    ])
    static let devices = ["loa-a1": "thon-a", "loa-a2": "thon-a", "loa-b1": "thon-b"]
    static let eventsPerDevice = 1000

    @Test("SIGKILL mid-burst, restart, resends: every event in the log exactly once, the log intact")
    func killedMidIngestion() async throws {
        let broker = try MosquittoBroker()
        let directory = try TemporaryDirectory(prefix: "loa-crash")
        defer { broker.stop(); directory.remove() }
        let data = directory.path("controller")
        let httpPort = try MosquittoBroker.freePort()
        let configuration = ControllerConfiguration(
            site: Self.site, broker: .init(host: "127.0.0.1", port: broker.port), http: .init(host: "127.0.0.1", port: httpPort),
            dataDirectory: data.path, allowAnonymousBroker: true)
        let configFile = directory.path("controller.json")
        try JSONEncoder().encode(configuration).write(to: configFile)
        let database = data.appendingPathComponent("loa.sqlite").path
        let log = directory.path("controller.log").path

        try await seedSentItems(database: database, data: data)
        var controller = try await startController(configFile.path, httpPort: httpPort, log: log)
        defer { ChildProcess.stop(controller) }

        let events = makeEvents()
        let publisher = try MQTTClient(options: MQTTClientOptions(
            host: "127.0.0.1", port: broker.port, clientID: "crash-test-receivers", cleanSession: true))
        try await publisher.waitUntilConnected()
        let topics = Topics(site: Self.site.id)

        // The burst, in the background; the controller is killed once part of it is stored.
        let burst = Task {
            for event in events {
                try await publisher.publish(topic: topics.deviceEvents(event.device), payload: try WireCoding.encode(event))
            }
        }
        let killAt: UInt64 = 300
        let deadline = ContinuousClock.now + .seconds(30)
        while logSize(database) < killAt, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        ChildProcess.stop(controller, signal: SIGKILL)
        _ = try? await burst.value

        // What survived the kill: a self-consistent log, every entry covered by the signed head.
        let key = try SigningKey.loadOrCreate(
            name: ControllerConfiguration.keyName(site: Self.site.id), at: data.appendingPathComponent("controller.key"))
        let afterKill = try LogAudit.entries(databaseAt: database)
        print("controller killed with \(afterKill.count) of \(events.count) events in the log")
        #expect(afterKill.count >= Int(killAt))
        #expect(afterKill.count < events.count, "the kill came after ingestion ended: make the burst longer")
        let reportAfterKill = try LogAudit.verify(databaseAt: database, keys: [key.verifier])
        #expect(reportAfterKill.isIntact, "\(reportAfterKill.problems)")

        // Restart; the receivers' outboxes resend everything they hold no receipt for.
        controller = try await startController(configFile.path, httpPort: httpPort, log: log)
        for event in events {
            try await publisher.publish(topic: topics.deviceEvents(event.device), payload: try WireCoding.encode(event))
        }
        let settled = ContinuousClock.now + .seconds(60)
        while logSize(database) < UInt64(events.count), ContinuousClock.now < settled {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(1))  // room for any duplicate to arrive
        ChildProcess.stop(controller)
        await publisher.close()

        let final = try LogAudit.entries(databaseAt: database)
        // Nothing lost: the entries stored before the kill are still there, unchanged, in place.
        #expect(Array(final.prefix(afterKill.count)) == afterKill)
        // None doubled: each event id exactly once.
        let ids = final.compactMap(\.event?.id)
        let counts = Dictionary(ids.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.values.allSatisfy { $0 == 1 }, "doubled: \(counts.filter { $0.value > 1 }.keys.sorted().prefix(5))")
        #expect(Set(ids) == Set(events.map(\.id)), "missing: \(Set(events.map(\.id)).subtracting(ids).count) events")
        #expect(final.count == events.count)
        let report = try LogAudit.verify(databaseAt: database, keys: [key.verifier])
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.entries == UInt64(events.count))
    }

    /// `eventsPerDevice` events of each device, their ids unique, as receivers send them.
    /// The first events' instant; the items airing from then on.
    static let start = Date(timeIntervalSince1970: 1_795_485_600)

    /// Records in the controller's database, before it starts, one document per hamlet
    /// listing the items the events are about (the controller believes only events
    /// about what it sent).
    func seedSentItems(database: String, data: URL) async throws {
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let key = try SigningKey.loadOrCreate(
            name: ControllerConfiguration.keyName(site: Self.site.id), at: data.appendingPathComponent("controller.key"))
        let store = try SQLiteStore(path: database, signingKey: key)
        let media = MediaReference(sha256: String(repeating: "a", count: 64), bytes: 1, contentType: "audio/wav", durationMs: 5000)
        for hamlet in Set(Self.devices.values) {
            let items = (0..<(Self.eventsPerDevice / 4)).map { index in
                ScheduledItem(
                    id: "item-\(index)@\(hamlet)", announcementId: "item-\(index)", title: "Bản tin \(index)", category: .propaganda,
                    priority: .normal, startAt: Self.start, media: media)
            }
            let document = ZoneSchedule(
                site: Self.site.id, zone: hamlet, version: 1, issuedAt: Self.start.addingTimeInterval(-3600), items: items)
            _ = try await store.publishNextZoneDocument(zone: hamlet, at: document.issuedAt) { _, _ in (try WireCoding.encode(document), ()) }
        }
    }

    func makeEvents() -> [DeviceEvent] {
        let start = Self.start
        var events: [DeviceEvent] = []
        for index in 0..<Self.eventsPerDevice {
            for (device, hamlet) in Self.devices.sorted(by: { $0.key < $1.key }) {
                let kind: DeviceEvent.Kind = [.received, .ready, .started, .finished][index % 4]
                events.append(DeviceEvent(
                    id: "\(device)-\(index)", device: device, site: Self.site.id, zone: hamlet,
                    item: "item-\(index / 4)@\(hamlet)", kind: kind, at: start.addingTimeInterval(Double(index)),
                    startOffsetMs: kind == .started ? 0.25 : nil, playedMs: kind == .finished ? 5000 : nil))
            }
        }
        return events
    }

    /// Starts `loa controller` and waits until it serves HTTP.
    func startController(_ config: String, httpPort: Int, log: String) async throws -> Int32 {
        let pid = try ChildProcess.spawn(loaExecutable(), ["controller", "--config", config], log: log)
        let url = URL(string: "http://127.0.0.1:\(httpPort)/log/key")!
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let (_, response) = try? await URLSession.shared.data(from: url),
               (response as? HTTPURLResponse)?.statusCode == 200 { return pid }
            if ChildProcess.exitStatus(pid) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        ChildProcess.stop(pid)
        throw CrashTestError("the controller did not start; its log: \(log)")
    }

    /// The size of the log's signed head, read from the file (0 before the first entry).
    func logSize(_ database: String) -> UInt64 {
        // While the controller creates the file, it may not hold the table yet.
        guard FileManager.default.fileExists(atPath: database),
              let note = try? LogAudit.headCheckpoint(databaseAt: database)
        else { return 0 }
        return note.split(separator: "\n").dropFirst().first.flatMap { UInt64($0) } ?? 0
    }

    struct CrashTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
