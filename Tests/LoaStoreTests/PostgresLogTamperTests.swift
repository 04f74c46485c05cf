import Foundation
import LoaHarness
@testable import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import PostgresNIO
import Testing

/// The tamper matrix on PostgreSQL: whatever is done to a commune's stored log,
/// the audit (`PostgresStore.verifyLog`) names the entry, and a controller refuses to
/// append to it. Another commune's log in the same database is not touched.
@Suite("Tampering with the log's PostgreSQL rows is caught")
struct PostgresLogTamperTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")

    /// A store holding `count` events, and a checkpoint an auditor kept after the last one.
    func storeWithEvents(_ count: Int) async throws -> (made: TestStore, store: PostgresStore, kept: String) {
        let made = try await StoreEngine.postgres.makeStore(signingKey: key)
        let store = try #require(made.store as? PostgresStore)
        let start = Date(timeIntervalSince1970: 1_795_485_600)
        for index in 0..<count {
            let event = LogTamperTests.event(index, from: start)
            #expect(try await store.record(event, receivedAt: start.addingTimeInterval(Double(index) + 0.5)))
            if index == 5 { _ = try await store.signCheckpoint(at: start) }
        }
        return (made, store, try #require(try await store.latestCheckpoint()))
    }

    @Test("a changed field is named, and a controller will not open the log to append to it")
    func editedField() async throws {
        let (made, store, kept) = try await storeWithEvents(12)
        #expect(try await store.verifyLog(keys: [key.verifier], witnessed: [kept]).isIntact)
        let entry: Data = try #require(try await store.client.rows(
            "SELECT entry FROM log_entry WHERE site = \(store.site) AND position = 6", store.logger).first?.value("entry"))
        let edited = Data(String(decoding: entry, as: UTF8.self).replacingOccurrences(of: "0.400", with: "0.100").utf8)
        #expect(edited != entry)
        try await store.client.run(
            "UPDATE log_entry SET entry = \(edited) WHERE site = \(store.site) AND position = 6", store.logger)

        let report = try await store.verifyLog(keys: [key.verifier])
        #expect(report.firstProblem?.entry == 6 && report.firstProblem?.kind == .entryEdited, "\(report.problems)")
        await #expect(throws: LogProblem.self) { _ = try await made.reopen() }
    }

    @Test("a log cut together with its checkpoints is named at the first entry gone: the stored events name theirs")
    func truncatedWithCheckpoints() async throws {
        let (_, store, kept) = try await storeWithEvents(12)
        try await store.client.run("DELETE FROM log_entry WHERE site = \(store.site) AND position >= 3", store.logger)
        try await store.client.run("DELETE FROM checkpoint WHERE site = \(store.site)", store.logger)
        try await store.client.run("DELETE FROM log_head WHERE site = \(store.site)", store.logger)
        for witnessed in [[kept], []] {
            let report = try await store.verifyLog(keys: [key.verifier], witnessed: witnessed)
            #expect(report.firstProblem?.entry == 3 && report.firstProblem?.kind == .rolledBack, "\(report.problems)")
            #expect(report.problems.contains { $0.kind == .headCheckpointMissing })
        }
    }

    @Test("two communes in one database keep separate logs: each gap-free from 0, each verifiable on its own key")
    func communesApart() async throws {
        let connection = try await SharedPostgres.freshDatabase()
        let otherKey = SigningKey(name: "loa.xa-ben-canh")
        let one = try await PostgresStore(connection: connection, site: "xa-thu-nghiem", keys: ControllerKeyRing(current: key))
        let other = try await PostgresStore(connection: connection, site: "xa-ben-canh", keys: ControllerKeyRing(current: otherKey))
        for index in 0..<4 {
            try await one.record(DeviceEvent(
                id: "e-\(index)", device: "loa-a1", site: "xa-thu-nghiem", zone: "thon-a", item: "i@thon-a", kind: .received,
                at: Date()), receivedAt: Date())
        }
        try await other.record(DeviceEvent(
            id: "e-0", device: "loa-a1", site: "xa-ben-canh", zone: "thon-x", item: "i@thon-x", kind: .received, at: Date()),
            receivedAt: Date())
        #expect(try await one.logRecords(in: 0..<10).map(\.index) == [0, 1, 2, 3])
        #expect(try await other.logRecords(in: 0..<10).map(\.index) == [0])
        let (ones, others) = (try await one.events(), try await other.events())
        #expect(ones.count == 4 && others.count == 1, "the same event id in two communes is two events")
        #expect(try await one.verifyLog(keys: [key.verifier]).isIntact)
        #expect(try await other.verifyLog(keys: [otherKey.verifier]).isIntact)
        let crossed = try await other.verifyLog(keys: [key.verifier])
        #expect(crossed.problems.contains { $0.kind == .checkpointRefused }, "one commune's key does not vouch for another's log")
    }
}
