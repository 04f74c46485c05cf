import Foundation
import LoaHarness
import LoaProtocol
@testable import LoaPostgresStore
@testable import LoaStore
import LoaTransparency
import Testing

/// The log under concurrent use: appends run one transaction at a time, readers never
/// wait for a disk write and never see an entry that is not committed.
@Suite("The log under concurrent appends and readers")
struct LogConcurrencyTests {
    static let key = SigningKey(name: "loa.xa-thu-nghiem")

    static func event(_ n: Int, writer: Int) -> (DeviceEvent, Date) {
        let at = Date(timeIntervalSince1970: 1_796_436_000 + Double(n))
        return (DeviceEvent(
            id: "received:w\(writer)-\(n)", device: "loa-\(writer)", site: "xa-thu-nghiem", zone: "thon-a",
            item: "tb-\(n)@thon-a", kind: .received, at: at), at)
    }

    @Test(
        "4 writers appending batches while 4 readers sign checkpoints and take proofs: every entry once, every proof and checkpoint good, the log intact; on PostgreSQL the writers are two controllers",
        arguments: StoreEngine.allCases)
    func writersAndReaders(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: Self.key)
        defer { made.remove() }
        let store = made.store
        // PostgreSQL serves several controllers of one commune: half the writers append
        // through a second store on the same database, as a second controller would.
        let second = engine == .postgres ? try await made.reopen() : store
        let (writers, batches, perBatch) = (4, 20, 5)

        try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<writers {
                let controller = writer % 2 == 0 ? store : second
                group.addTask {
                    for batch in 0..<batches {
                        let events = (0..<perBatch).map { Self.event(batch * perBatch + $0, writer: writer) }
                        _ = try await controller.record(events)
                    }
                    return 0
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    var checked = 0
                    // While the writers write, and at least 10 times (a loaded machine may run them first).
                    while store.logSize < UInt64(writers * batches * perBatch) || checked < 10 {
                        // A size read now is committed: its checkpoint and proofs must exist and hold.
                        let size = store.logSize
                        guard size > 1 else { await Task.yield(); continue }
                        let note = try await store.signCheckpoint(at: Date())
                        let checkpoint = try Checkpoint.open(note, keys: [Self.key.verifier])
                        #expect(checkpoint.size >= size)
                        let proof = try await store.consistencyProof(from: size / 2, to: checkpoint.size)
                        #expect(proof.newRoot == checkpoint.rootHash)
                        #expect(MerkleTree.verifyConsistency(
                            oldSize: proof.oldSize, newSize: proof.newSize, oldRoot: proof.oldRoot, newRoot: proof.newRoot,
                            proof: proof.hashes))
                        checked += 1
                        await Task.yield()
                    }
                    return checked
                }
            }
            var checks = 0
            for try await checked in group { checks += checked }
            #expect(checks >= 40)
        }

        _ = try await store.signCheckpoint(at: Date())
        #expect(store.logSize == UInt64(writers * batches * perBatch))
        let report = try await made.verifyLog([Self.key.verifier])
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.entries == UInt64(writers * batches * perBatch))
        #expect(report.uncovered == 0)
        // Gap-free and single-sequence: positions 0…n-1, each event once.
        let entries = try await store.logEntries()
        #expect(entries.map(\.index) == Array(0..<UInt64(writers * batches * perBatch)))
        #expect(Set(entries.compactMap { $0.event.map { "\($0.device)/\($0.id)" } }).count == writers * batches * perBatch)
    }

    struct Refused: Error {}

    @Test(
        "a transaction that fails after appending leaves the log as stored: its entries are gone from memory too, and the next append takes their place",
        arguments: StoreEngine.allCases)
    func failedTransactionAfterAppend(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: Self.key)
        defer { made.remove() }
        let store = made.store
        _ = try await store.record([Self.event(1, writer: 0)])

        await #expect(throws: Refused.self) { try await Self.appendTwoThenFail(store) }
        #expect(store.logSize == 1)
        await #expect(throws: MerkleTreeError.self) { try await store.consistencyProof(from: 1, to: 2) }

        _ = try await store.record([Self.event(2, writer: 0)])
        #expect(store.logSize == 2)
        #expect(try await store.logRecords(in: 0..<3).map(\.index) == [0, 1])
        let report = try await made.verifyLog([Self.key.verifier])
        #expect(report.isIntact, "\(report.problems)")
    }

    /// Appends two entries inside the engine's log transaction, then fails it.
    static func appendTwoThenFail(_ store: any ControllerStore) async throws {
        let entries = [Data(#"{"type":"test","n":"2"}"#.utf8), Data(#"{"type":"test","n":"3"}"#.utf8)]
        switch store {
        case let sqlite as SQLiteStore:
            try await sqlite.writeAppendingToLog { _, append in
                for entry in entries { _ = try append(entry) }
                throw Refused()
            }
        case let postgres as PostgresStore:
            try await postgres.writeAppendingToLog { _, log in
                for entry in entries { _ = try await log.append(entry) }
                throw Refused()
            }
        default:
            Issue.record("no way to fail a log transaction of \(type(of: store))")
        }
    }
}
