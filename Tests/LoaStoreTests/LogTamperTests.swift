import Foundation
import GRDB
import LoaProtocol
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// The tamper matrix of issue #4, against the SQLite file itself: whatever is
/// done to the stored log, `LogAudit.verify` fails and names the entry.
@Suite("Tampering with the log's SQLite file is caught")
struct LogTamperTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")

    /// A store holding `count` events; returns its database path and a checkpoint an
    /// auditor kept after the last one.
    func storeWithEvents(_ count: Int, in directory: TemporaryDirectory) async throws -> (path: String, kept: String) {
        let path = directory.path("loa.sqlite").path
        let store = try SQLiteStore(path: path, signingKey: key)
        let start = Date(timeIntervalSince1970: 1_795_485_600)
        for index in 0..<count {
            let event = Self.event(index, from: start)
            #expect(try await store.record(event, receivedAt: start.addingTimeInterval(Double(index) + 0.5)))
            #expect(try await store.record(event, receivedAt: start.addingTimeInterval(Double(index) + 9)) == false, "a resent event is stored once")
            if index == 5 { _ = try await store.signCheckpoint(at: start) }
        }
        return (path, try #require(try await store.latestCheckpoint()))
    }

    /// The `index`th event of the tampered logs: two receivers, four events an item.
    static func event(_ index: Int, from start: Date) -> DeviceEvent {
        DeviceEvent(
            id: "event-\(index)", device: "loa-a\(index % 2)", site: "xa-thu-nghiem", zone: "thon-a",
            item: "item-\(index / 4)@thon-a", kind: [.received, .ready, .started, .finished][index % 4],
            at: start.addingTimeInterval(Double(index)), startOffsetMs: index % 4 == 2 ? 0.4 : nil)
    }

    func verify(_ path: String, witnessed: [String] = [], keys: [VerifierKey]? = nil) throws -> LogVerificationReport {
        try LogAudit.verify(databaseAt: path, keys: keys ?? [key.verifier], witnessed: witnessed)
    }

    func tamper(_ path: String, _ change: (Database) throws -> Void) throws {
        let database = try DatabaseQueue(path: path)
        try database.write(change)
    }

    /// Moves the rows from `position` on one place down, as a forger inserting a row would.
    func makeRoom(at position: Int, _ db: Database) throws {
        try db.execute(sql: "UPDATE logEntry SET position = -(position + 1) WHERE position >= ?", arguments: [position])
        try db.execute(sql: "UPDATE logEntry SET position = -position WHERE position < 0")
    }

    @Test("the untouched log verifies, with every entry covered by a signed checkpoint")
    func intact() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, kept) = try await storeWithEvents(12, in: directory)
        let report = try verify(path, witnessed: [kept])
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.entries == 12)
        #expect(report.uncovered == 0)
    }

    @Test("a changed field is named")
    func editedField() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try await storeWithEvents(12, in: directory)
        try tamper(path) { db in
            let entry = try Data.fetchOne(db, sql: "SELECT entry FROM logEntry WHERE position = 6")!
            let edited = String(decoding: entry, as: UTF8.self).replacingOccurrences(of: "0.400", with: "0.100")
            #expect(edited != String(decoding: entry, as: UTF8.self))
            try db.execute(sql: "UPDATE logEntry SET entry = ? WHERE position = 6", arguments: [Data(edited.utf8)])
        }
        let report = try verify(path)
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 6)
        #expect(report.firstProblem?.kind == .entryEdited)
    }

    @Test("a deleted row is named")
    func deletedRow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try await storeWithEvents(12, in: directory)
        try tamper(path) { db in try db.execute(sql: "DELETE FROM logEntry WHERE position = 3") }
        let report = try verify(path)
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 3, "\(report.problems)")
    }

    @Test("two swapped rows are named")
    func swappedRows() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try await storeWithEvents(12, in: directory)
        try tamper(path) { db in
            try db.execute(sql: "UPDATE logEntry SET position = -1 WHERE position = 2")
            try db.execute(sql: "UPDATE logEntry SET position = 2 WHERE position = 7")
            try db.execute(sql: "UPDATE logEntry SET position = 7 WHERE position = -1")
        }
        let report = try verify(path)
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 2)
    }

    @Test("an inserted row is named")
    func insertedRow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try await storeWithEvents(12, in: directory)
        try tamper(path) { db in
            try makeRoom(at: 4, db)
            let forged = Data(#"{"id":"forged","kind":"finished","type":"event"}"#.utf8)
            try db.execute(
                sql: "INSERT INTO logEntry (position, entry, leafHash, chainHash) VALUES (4, ?, ?, ?)",
                arguments: [forged, LogHash.leaf(forged), Data(count: 32)])
        }
        let report = try verify(path)
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 4)
    }

    @Test("a forged row inserted with a correctly computed chain hash is named, not the row after it")
    func insertedWithChain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try await storeWithEvents(12, in: directory)
        try tamper(path) { db in
            try makeRoom(at: 4, db)
            let previous = try Data.fetchOne(db, sql: "SELECT chainHash FROM logEntry WHERE position = 3")!
            let forged = Data(#"{"device":"loa-a0","id":"forged","kind":"finished","type":"event"}"#.utf8)
            let leaf = LogHash.leaf(forged)
            try db.execute(
                sql: "INSERT INTO logEntry (position, entry, leafHash, chainHash) VALUES (4, ?, ?, ?)",
                arguments: [forged, leaf, LogHash.chain(previous: previous, leafHash: leaf)])
        }
        let report = try verify(path)
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 4, "\(report.problems)")
    }

    @Test("a log truncated together with its stored checkpoints is named at the first entry gone")
    func truncatedWithCheckpoints() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, kept) = try await storeWithEvents(12, in: directory)
        try tamper(path) { db in
            try db.execute(sql: "DELETE FROM logEntry WHERE position >= 3")
            try db.execute(sql: "DELETE FROM checkpoint")
            try db.execute(sql: "DELETE FROM headCheckpoint")
        }
        // With the auditor's checkpoint, and without it: the stored events still name their entries.
        for witnessed in [[kept], []] {
            let report = try verify(path, witnessed: witnessed)
            #expect(!report.isIntact)
            #expect(report.firstProblem?.entry == 3, "\(report.problems)")
            #expect(report.firstProblem?.kind == .rolledBack)
            #expect(report.problems.contains { $0.kind == .headCheckpointMissing })
        }
    }

    @Test("a forged row appended with a correctly computed chain is named: no signature covers it")
    func appendedForgery() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try await storeWithEvents(12, in: directory)
        try tamper(path) { db in
            let head = try Data.fetchOne(db, sql: "SELECT chainHash FROM logEntry WHERE position = 11")!
            let forged = Data(#"{"device":"loa-a0","id":"forged","kind":"finished","type":"event"}"#.utf8)
            let leaf = LogHash.leaf(forged)
            try db.execute(
                sql: "INSERT INTO logEntry (position, entry, leafHash, chainHash) VALUES (12, ?, ?, ?)",
                arguments: [forged, leaf, LogHash.chain(previous: head, leafHash: leaf)])
        }
        let report = try verify(path)
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 12)
    }

    @Test("a roll-back to an older copy of the file is caught by a checkpoint the auditor kept")
    func rolledBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("loa.sqlite").path
        // An older copy, taken after 8 events...
        _ = try await storeWithEvents(8, in: directory)
        let older = try DatabaseQueue(path: directory.path("older.sqlite").path)
        try DatabaseQueue(path: path).backup(to: older)
        // ...then 4 more events, and the auditor keeps the checkpoint of 12.
        let store = try SQLiteStore(path: path, signingKey: key)
        for index in 8..<12 {
            try await store.record(DeviceEvent(
                id: "later-\(index)", device: "loa-a0", site: "xa-thu-nghiem", zone: "thon-a", item: "item-9@thon-a",
                kind: .received, at: Date()), receivedAt: Date())
        }
        let kept = try #require(try await store.latestCheckpoint())
        // The operator restores the older copy.
        try DatabaseQueue(path: directory.path("older.sqlite").path).backup(to: DatabaseQueue(path: path))
        #expect(try verify(path).isIntact, "alone, the older copy is self-consistent")
        let report = try verify(path, witnessed: [kept])
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 8)
        #expect(report.firstProblem?.kind == .rolledBack)
    }

    @Test("a checkpoint signed by another key is refused")
    func foreignCheckpoint() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try await storeWithEvents(4, in: directory)
        let impostor = SigningKey(name: key.name)
        let report = try verify(path, keys: [impostor.verifier])
        #expect(!report.isIntact)
        #expect(report.problems.contains { $0.kind == .checkpointRefused })
    }
}
