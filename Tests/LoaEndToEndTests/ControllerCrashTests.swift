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
    static let site = ControllerBurst.site

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
        var controller = try await ControllerBurst.startController(configFile.path, httpPort: httpPort, log: log)
        defer { ChildProcess.stop(controller) }

        let events = ControllerBurst.events()
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
        controller = try await ControllerBurst.startController(configFile.path, httpPort: httpPort, log: log)
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

    /// Seeds the items the events are about into the SQLite store the controller will open.
    func seedSentItems(database: String, data: URL) async throws {
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let key = try SigningKey.loadOrCreate(
            name: ControllerConfiguration.keyName(site: Self.site.id), at: data.appendingPathComponent("controller.key"))
        try await ControllerBurst.seedSentItems(try SQLiteStore(path: database, signingKey: key))
    }

    /// The size of the log's signed head, read from the file (0 before the first entry).
    func logSize(_ database: String) -> UInt64 {
        // While the controller creates the file, it may not hold the table yet.
        guard FileManager.default.fileExists(atPath: database),
              let note = try? LogAudit.headCheckpoint(databaseAt: database)
        else { return 0 }
        return note.split(separator: "\n").dropFirst().first.flatMap { UInt64($0) } ?? 0
    }
}
