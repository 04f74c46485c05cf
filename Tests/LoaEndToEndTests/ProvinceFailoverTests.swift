import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two `loa controller` processes serve one commune from one PostgreSQL database and
/// one broker; the one holding the commune's `events` lease takes the events in. It is
/// killed with SIGKILL in the middle of a burst of proof-of-play; with what it was handed
/// and did not store sent again for want of a receipt, as receivers do, the other has
/// taken the lease over and everything in: every event in the log exactly once, in one
/// gap-free sequence that `loa log verify` finds intact. The controllers share no
/// folder: the commune's key, which only the first one's data folder held, is in the
/// database, sealed with the secrets key both hold.
@Suite("Two controllers on PostgreSQL, one killed", .serialized)
struct ProvinceFailoverTests {
    @Test("SIGKILL one of two controllers mid-burst: the survivor logs every event exactly once and the log verifies")
    func survivorTakesEverything() async throws {
        let broker = try MosquittoBroker()
        let directory = try TemporaryDirectory(prefix: "loa-province")
        defer { broker.stop(); directory.remove() }
        let store = try await SharedPostgres.controllerStore(passwordFile: directory.path("pg-password"))
        let site = ControllerBurst.site
        let keyFile = directory.path("controller.key")
        let key = try SigningKey.loadOrCreate(name: ControllerConfiguration.keyName(site: site.id), at: keyFile)

        // Each controller: its own data folder, its own broker client and HTTP port. The first
        // one's folder holds the commune's key, as a commune moving onto the database has it.
        var configs: [(file: String, port: Int, log: String)] = []
        for name in ["a", "b"] {
            let data = directory.path("controller-\(name)")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            if name == "a" { try FileManager.default.copyItem(at: keyFile, to: data.appendingPathComponent("controller.key")) }
            let port = try MosquittoBroker.freePort()
            let configuration = ControllerConfiguration(
                site: site, broker: .init(host: "127.0.0.1", port: broker.port, clientID: "loa-controller-\(name)"),
                http: .init(host: "127.0.0.1", port: port), dataDirectory: data.path, allowAnonymousBroker: true, store: store)
            let file = directory.path("controller-\(name).json")
            try JSONEncoder().encode(configuration).write(to: file)
            configs.append((file.path, port, directory.path("controller-\(name).log").path))
        }
        let connection = try #require(try configs.first.map { try ControllerConfiguration.load(from: $0.file) }?.postgresConnection())
        let observer = try await PostgresStore(connection: connection, site: site.id, keys: ControllerKeyRing(current: key))
        try await ControllerBurst.seedSentItems(observer)

        let killed = try await ControllerBurst.startController(configs[0].file, httpPort: configs[0].port, log: configs[0].log)
        defer { ChildProcess.stop(killed) }
        let survivor = try await ControllerBurst.startController(configs[1].file, httpPort: configs[1].port, log: configs[1].log)
        defer { ChildProcess.stop(survivor) }

        let receivers = try await ReceiptedBurst(events: ControllerBurst.events(), site: site.id, brokerPort: broker.port, key: key.verifier)
        let events = receivers.events
        let burst = Task { try await receivers.sendAll() }
        let killAt: UInt64 = 300
        let deadline = ContinuousClock.now + .seconds(30)
        while try await headSize(observer) < killAt, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        ChildProcess.stop(killed, signal: SIGKILL)
        let atKill = try await headSize(observer)
        // Until then one controller took the events in (the `events` lease): one receipt
        // for each, where each controller used to check, store and receipt every event.
        let receiptedBeforeKill = receivers.receiptCounts
        #expect(!receiptedBeforeKill.isEmpty)
        #expect(receiptedBeforeKill.values.allSatisfy { $0 == 1 }, "receipted twice: \(receiptedBeforeKill.filter { $0.value > 1 }.count)")
        try await burst.value
        // The events the killed one was handed and had not stored come again, as a
        // receiver resends what got no receipt (every 10 s; here every 2 s).
        let settled = ContinuousClock.now + .seconds(60)
        var resent = 0
        while try await headSize(observer) < UInt64(events.count), ContinuousClock.now < settled {
            try await Task.sleep(for: .seconds(2))
            resent += try await receivers.resendUnreceipted()
        }
        try await Task.sleep(for: .seconds(1))  // room for any duplicate to arrive
        ChildProcess.stop(survivor)
        await receivers.close()
        print("one of two controllers killed with \(atKill) of \(events.count) events in the log; \(resent) sent again for want of a receipt")
        #expect(atKill < UInt64(events.count), "the kill came after ingestion ended: make the burst longer")

        let entries = try await observer.logEntries()
        #expect(entries.map(\.index) == Array(0..<UInt64(entries.count)), "one gap-free sequence")
        let ids = entries.compactMap(\.event?.id)
        let counts = Dictionary(ids.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.values.allSatisfy { $0 == 1 }, "doubled: \(counts.filter { $0.value > 1 }.keys.sorted().prefix(5))")
        #expect(Set(ids) == Set(events.map(\.id)), "missing: \(Set(events.map(\.id)).subtracting(ids).count) events")

        // The auditor's command, on the survivor's settings: the keys are read from the database.
        #expect(!FileManager.default.fileExists(atPath: directory.path("controller-b/controller.key").path))
        let output = directory.path("verify.txt").path
        let verify = try ChildProcess.spawn(loaExecutable(), ["log", "verify", "--config", configs[1].file], log: output)
        let status = await ChildProcess.ended(verify)
        let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(status == 0 && printed.contains("HỢP LỆ / INTACT"), "\(printed)")
        #expect(printed.contains("\(events.count) mục"), "\(printed)")
        #expect(printed.contains(key.verifier.text), "the commune's key, as kept in the database: \(printed)")
    }

    /// The size the commune's head checkpoint covers, as stored now.
    func headSize(_ store: PostgresStore) async throws -> UInt64 {
        guard let note = try await store.latestCheckpoint() else { return 0 }
        return note.split(separator: "\n").dropFirst().first.flatMap { UInt64($0) } ?? 0
    }
}
