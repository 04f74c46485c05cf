import Foundation
import LoaProtocol
import LoaTransparency
import Testing

/// The tamper matrix of issue 4, on in-memory rows: each way of tampering with
/// the stored log is caught and the first entry concerned is named.
@Suite("Log verification: the tamper matrix")
struct LogVerifierTests {
    static let origin = "loa.xa-ha-binh"
    let key = SigningKey(name: LogVerifierTests.origin)

    /// A log of 40 event entries with checkpoints signed at sizes 10, 25 and 40.
    func makeLog() throws -> (records: [LogRecord], checkpoints: [String], log: TransparencyLog) {
        var log = TransparencyLog()
        var records: [LogRecord] = []
        var checkpoints: [String] = []
        for i in 0..<40 {
            let event = DeviceEvent(
                id: "event-\(i)", device: "rx-\(i % 4)", site: "xa-ha-binh", zone: "thon-\(i % 3)", item: "a-\(i / 5)",
                kind: i % 2 == 0 ? .started : .finished, at: Date(timeIntervalSince1970: 1_795_485_600 + Double(i)),
                playedMs: i % 2 == 0 ? nil : 30_000 + i)
            records.append(log.append(LogEntryEncoding.encode(event: event, receivedAt: Date(timeIntervalSince1970: 1_795_485_700))))
            if [10, 25, 40].contains(i + 1) {
                checkpoints.append(try log.checkpoint(origin: Self.origin).signed(with: key))
            }
        }
        return (records, checkpoints, log)
    }

    func verify(_ records: [LogRecord], _ checkpoints: [String]) -> LogVerificationReport {
        LogVerifier.verify(records: records, checkpoints: checkpoints, keys: [key.verifier], origin: Self.origin)
    }

    func edit(_ record: LogRecord) -> LogRecord {
        var fields = try! LogEntryEncoding.decode(record.entry)
        fields["playedMs"] = "60000"
        var edited = record
        edited.entry = LogEntryEncoding.encode(fields: fields)
        return edited
    }

    @Test("the untouched log verifies, and every entry's proof checks against the latest checkpoint")
    func untouched() throws {
        let (records, checkpoints, log) = try makeLog()
        let report = verify(records, checkpoints)
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.entries == 40)
        #expect(report.checkpoints.map(\.size) == [10, 25, 40])
        #expect(report.uncovered == 0)
        #expect(report.root == log.tree.root)
        for record in records {
            let proof = try log.inclusionProof(index: record.index, size: 40)
            #expect(proof.isValid && proof.leafHash == record.leafHash)
        }
        #expect(try log.consistencyProof(from: 10, to: 25).isValid)
        // Rows appended after the last checkpoint are fine, just not yet covered.
        var more = log
        let extra = more.append(Data(#"{"type":"announcement"}"#.utf8))
        let later = verify(records + [extra], checkpoints)
        #expect(later.isIntact)
        #expect(later.uncovered == 1)
    }

    @Test("a field changed in a row: the entry is named as edited")
    func fieldChanged() throws {
        let (records, checkpoints, _) = try makeLog()
        var tampered = records
        tampered[17] = edit(records[17])
        let report = verify(tampered, checkpoints)
        #expect(report.firstProblem?.entry == 17)
        #expect(report.firstProblem?.kind == .entryEdited)
        #expect(report.problems.contains { $0.kind == .checkpointRootMismatch })
    }

    @Test("a field changed and the row's leaf hash recomputed: the chain names the entry")
    func fieldChangedWithLeafHash() throws {
        let (records, checkpoints, _) = try makeLog()
        var tampered = records
        tampered[17] = edit(records[17])
        tampered[17].leafHash = MerkleTree.leafHash(tampered[17].entry)
        let report = verify(tampered, checkpoints)
        #expect(report.firstProblem?.entry == 17)
        #expect(report.firstProblem?.kind == .chainBroken)
    }

    @Test("a field changed with every hash after it recomputed: the checkpoint narrows it to the entries it covers")
    func fieldChangedAndRechained() throws {
        let (records, checkpoints, _) = try makeLog()
        var log = TransparencyLog()
        var rewritten: [LogRecord] = []
        for record in records { rewritten.append(log.append(record.index == 17 ? edit(record).entry : record.entry)) }
        let report = verify(rewritten, checkpoints)
        #expect(!report.isIntact)
        #expect(report.firstProblem?.entry == 10)  // after the checkpoint of size 10, which still matches
        #expect(report.firstProblem?.kind == .checkpointRootMismatch)
        #expect(report.firstProblem?.detail.contains("entries 10–24") == true)
    }

    @Test("a row deleted: the missing entry is named")
    func rowDeleted() throws {
        let (records, checkpoints, _) = try makeLog()
        var tampered = records
        tampered.remove(at: 12)
        let report = verify(tampered, checkpoints)
        #expect(report.firstProblem?.entry == 12)
        #expect(report.firstProblem?.kind == .entryMissing)
    }

    @Test("a row deleted and the rows after it renumbered: the chain names the entry")
    func rowDeletedAndRenumbered() throws {
        let (records, checkpoints, _) = try makeLog()
        var tampered = records
        tampered.remove(at: 12)
        for i in 12..<tampered.count { tampered[i].index -= 1 }
        let report = verify(tampered, checkpoints)
        #expect(report.firstProblem?.entry == 12)
        #expect(report.firstProblem?.kind == .chainBroken)
        #expect(report.problems.contains { $0.kind == .rolledBack && $0.entry == 39 })
    }

    @Test("two rows swapped (their contents exchanged under the same indexes): the first is named")
    func rowsSwapped() throws {
        let (records, checkpoints, _) = try makeLog()
        var tampered = records
        (tampered[5].entry, tampered[20].entry) = (records[20].entry, records[5].entry)
        (tampered[5].leafHash, tampered[20].leafHash) = (records[20].leafHash, records[5].leafHash)
        (tampered[5].chainHash, tampered[20].chainHash) = (records[20].chainHash, records[5].chainHash)
        let report = verify(tampered, checkpoints)
        #expect(report.firstProblem?.entry == 5)
        #expect(report.firstProblem?.kind == .chainBroken)
    }

    @Test("two rows swapped with their indexes (read back in the new order): the first is named")
    func rowsReordered() throws {
        let (records, checkpoints, _) = try makeLog()
        var tampered = records
        tampered.swapAt(5, 20)
        let report = verify(tampered, checkpoints)
        #expect(report.firstProblem?.entry == 5)
        #expect(report.firstProblem?.kind == .entryMissing)  // entry 5 is not in its place…
        #expect(report.problems.contains { $0.kind == .entryOutOfOrder && $0.entry == 20 })  // …it turns up at row 20
        #expect(report.problems.filter { $0.kind == .entryMissing || $0.kind == .entryOutOfOrder }.count == 2)
    }

    @Test("a forged row appended with a chain hash that does not follow: it is named")
    func forgedAppend() throws {
        let (records, checkpoints, _) = try makeLog()
        let entry = Data(#"{"kind":"finished","type":"event"}"#.utf8)
        let forged = LogRecord(index: 40, entry: entry, leafHash: MerkleTree.leafHash(entry),
                               chainHash: HashChain.next(previous: records[38].chainHash, leafHash: MerkleTree.leafHash(entry)))
        let report = verify(records + [forged], checkpoints)
        #expect(report.firstProblem?.entry == 40)
        #expect(report.firstProblem?.kind == .chainBroken)
    }

    @Test("a forged row inserted in the middle with a chain hash computed to fit: it is named, not the row after it")
    func forgedInsert() throws {
        let (records, checkpoints, _) = try makeLog()
        let entry = Data(#"{"kind":"finished","type":"event"}"#.utf8)
        var tampered = records
        let leaf = MerkleTree.leafHash(entry)
        tampered.insert(LogRecord(index: 30, entry: entry, leafHash: leaf,
                                  chainHash: HashChain.next(previous: records[29].chainHash, leafHash: leaf)), at: 30)
        for i in 31..<tampered.count { tampered[i].index += 1 }
        let report = verify(tampered, checkpoints)
        #expect(report.firstProblem?.entry == 30)
        #expect(report.firstProblem?.kind == .entryInserted)
        #expect(report.problems.contains { $0.kind == .checkpointRootMismatch && $0.entry == 25 })
    }

    @Test("rolled back to an older copy: the first entry lost is named")
    func rolledBack() throws {
        let (records, checkpoints, _) = try makeLog()
        // The rows as they were at 30 entries, with every checkpoint kept (or published) since.
        let report = verify(Array(records.prefix(30)), checkpoints)
        #expect(report.firstProblem?.entry == 30)
        #expect(report.firstProblem?.kind == .rolledBack)
        // A copy rolled back with its own checkpoints is internally consistent; the
        // checkpoint published outside (the latest) reveals it.
        let older = verify(Array(records.prefix(25)), Array(checkpoints.prefix(2)))
        #expect(older.isIntact)
        let revealed = verify(Array(records.prefix(25)), Array(checkpoints.prefix(2)) + [checkpoints[2]])
        #expect(revealed.firstProblem?.entry == 25)
        #expect(revealed.firstProblem?.kind == .rolledBack)
    }

    @Test("a checkpoint signed by another key is refused")
    func otherKey() throws {
        let (records, checkpoints, log) = try makeLog()
        let impostor = SigningKey(name: Self.origin)
        let foreign = try log.checkpoint(origin: Self.origin).signed(with: impostor)
        let report = verify(records, checkpoints + [foreign])
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.kind == .checkpointRefused)
        #expect(report.problems.first?.detail.contains("key id") == true)
    }

    @Test("a history rewritten and re-signed by the key holder: the checkpoints are inconsistent")
    func rewrittenAndResigned() throws {
        let (records, checkpoints, _) = try makeLog()
        var log = TransparencyLog()
        var rewritten: [LogRecord] = []
        for record in records { rewritten.append(log.append(record.index == 3 ? edit(record).entry : record.entry)) }
        let resigned = try log.checkpoint(origin: Self.origin).signed(with: key)
        // The old checkpoint at 10 was published; the new one at 40 was signed over the rewritten rows.
        let report = verify(rewritten, [checkpoints[0], resigned])
        #expect(report.firstProblem?.entry == 0)
        #expect(report.problems.contains { $0.kind == .checkpointsInconsistent })
        #expect(report.problems.contains { $0.kind == .checkpointRootMismatch })
    }

    @Test("resuming the log from stored rows refuses a row whose hashes do not follow")
    func resume() throws {
        let (records, _, log) = try makeLog()
        var resumed = TransparencyLog()
        for record in records { try resumed.resume(record) }
        #expect(resumed.tree.root == log.tree.root)
        #expect(resumed.chain == log.chain)
        var again = TransparencyLog()
        #expect(throws: LogProblem.self) {
            for record in records.enumerated().map({ $0.offset == 7 ? self.edit($0.element) : $0.element }) {
                try again.resume(record)
            }
        }
        #expect(again.size == 7)
    }
}
