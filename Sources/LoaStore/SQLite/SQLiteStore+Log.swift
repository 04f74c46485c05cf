public import Foundation
import GRDB
import Synchronization
public import LoaProtocol
public import LoaTransparency

extension SQLiteStore {
    /// The public key that verifies the checkpoints signed now (after a rotation,
    /// older checkpoints need the earlier keys: `GET /log/keys`).
    public var verifierKey: VerifierKey { signingKey.verifier }

    /// The number of entries in the transparency log.
    public var logSize: UInt64 { log.withLock { $0.committedSize } }

    /// Signs a checkpoint of the whole log, keeps it in the history of checkpoints
    /// (the controller does so at a regular interval), and returns the signed note.
    /// Signing twice at one size keeps one.
    public func signCheckpoint(at now: Date) async throws -> String {
        let checkpoint = try log.withLock { state in
            try state.log.checkpoint(origin: signingKey.name, size: state.committedSize)
        }
        let note = try checkpoint.signed(with: signingKey)
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO checkpoint (size, note, signedAt) VALUES (?, ?, ?)",
                arguments: [Int64(checkpoint.size), note, now])
        }
        return note
    }

    /// The newest signed checkpoint (it covers every entry), if the log has any entry.
    public func latestCheckpoint() async throws -> String? { try await latestCheckpointRow()?.note }

    private func latestCheckpointRow() async throws -> (size: UInt64, note: String)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT size, note FROM headCheckpoint WHERE id = 1")
                .map { (UInt64($0["size"] as Int64), $0["note"]) }
        }
    }

    /// The proof that entry `index` is in the tree of the latest checkpoint.
    public func inclusionProof(index: UInt64) async throws -> InclusionProof {
        guard let (size, note) = try await latestCheckpointRow() else { throw LogQueryError.noCheckpoint }
        guard index < size else { throw LogQueryError.notCovered(index: index, size: size) }
        return try log.withLock { try $0.log.inclusionProof(index: index, size: size, checkpoint: note) }
    }

    /// The proof that the tree of `oldSize` entries is a prefix of the tree of `newSize`.
    /// - Throws: `MerkleTreeError.sizeOutOfRange` beyond the committed entries.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) async throws -> ConsistencyProof {
        try log.withLock { state in
            guard newSize <= state.committedSize else {
                throw MerkleTreeError.sizeOutOfRange(oldSize: oldSize, newSize: newSize, count: state.committedSize)
            }
            return try state.log.consistencyProof(from: oldSize, to: newSize)
        }
    }

    /// Stored log entries in `range` of positions, for auditors.
    public func logRecords(in range: Range<UInt64>) async throws -> [LogRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM logEntry WHERE position >= ? AND position < ? ORDER BY position",
                arguments: [Int64(range.lowerBound), Int64(range.upperBound)]
            ).map(Self.record)
        }
    }

    static func insert(_ record: LogRecord, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO logEntry (position, entry, leafHash, chainHash) VALUES (?, ?, ?, ?)",
            arguments: [Int64(record.index), record.entry, record.leafHash, record.chainHash])
    }

    static func record(_ row: Row) -> LogRecord {
        LogRecord(index: UInt64(row["position"] as Int64), entry: row["entry"], leafHash: row["leafHash"], chainHash: row["chainHash"])
    }

    /// Rebuilds the tree and chain from the stored rows, checking each as it goes.
    static func loadLog(_ db: Database) throws -> TransparencyLog {
        var log = TransparencyLog()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM logEntry ORDER BY position")
        while let row = try rows.next() {
            try log.resume(record(row))
        }
        return log
    }
}

/// Auditing a controller's database file, as `loa log verify` does: read-only,
/// so a supervisor can run it on a copy.
public enum LogAudit {
    /// Recomputes the chain and tree of the log in the database at `path`, checks
    /// every stored checkpoint (signature, root, consistency) and the checkpoints
    /// the auditor kept from before (`witnessed`), which catch a roll-back to an
    /// older copy of the file.
    public static func verify(databaseAt path: String, keys: [VerifierKey], witnessed: [String] = []) throws -> LogVerificationReport {
        try readOnly(path).read { db in
            var verifier = LogVerifier(keys: keys)
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM logEntry ORDER BY rowid")
            while let row = try rows.next() {
                verifier.check(SQLiteStore.record(row))
            }
            return judge(
                verifier,
                history: try String.fetchAll(db, sql: "SELECT note FROM checkpoint ORDER BY size"),
                head: try String.fetchOne(db, sql: "SELECT note FROM headCheckpoint"),
                highestEventPosition: try Int64.fetchOne(db, sql: "SELECT MAX(logPosition) FROM event"), witnessed: witnessed)
        }
    }

    /// The report on a log whose records `verifier` has checked, in order: every
    /// checkpoint of the history, the head and the `witnessed` ones checked against it,
    /// and what an engine's other rows show.
    /// - Parameters:
    ///   - head: the head checkpoint, re-signed by the controller in the transaction of
    ///     every append: an entry beyond it was written by someone else.
    ///   - highestEventPosition: the highest log position a stored event names: one
    ///     beyond the log's end shows it was cut there, even when its checkpoints were cut with it.
    package static func judge(
        _ verifier: LogVerifier, history: [String], head: String?, highestEventPosition: Int64?, witnessed: [String]
    ) -> LogVerificationReport {
        var report = verifier.finish(checkpoints: history + (head.map { [$0] } ?? []) + witnessed)
        if head == nil, report.entries > 0 {
            report.add(LogProblem(
                entry: nil, kind: .headCheckpointMissing,
                detail: "no head checkpoint is stored; the log holds \(report.entries) entries"))
        } else if report.uncovered > 0 {
            let first = report.entries - report.uncovered
            report.add(LogProblem(
                entry: first, kind: .notCovered,
                detail: "entries \(first)–\(report.entries - 1) lie beyond the latest signed checkpoint (size \(first))"))
        }
        if let highest = highestEventPosition, highest >= 0, UInt64(highest) >= report.entries,
            !report.problems.contains(where: { $0.kind == .rolledBack && $0.entry == report.entries })
        {
            report.add(LogProblem(
                entry: report.entries, kind: .rolledBack,
                detail: "stored events were logged as entries up to \(highest), but the log ends at entry \(Int64(report.entries) - 1): entries \(report.entries)–\(highest) are gone"))
        }
        return report
    }
}

extension LogAudit {
    /// The origin named by the database's head checkpoint (the log's key name), if any.
    public static func origin(databaseAt path: String) throws -> String? {
        let note = try readOnly(path).read { db in try String.fetchOne(db, sql: "SELECT note FROM headCheckpoint") }
        return note?.split(separator: "\n", maxSplits: 1).first.map(String.init)
    }

    /// The signed notes of the checkpoint history, smallest log size first.
    public static func checkpointNotes(databaseAt path: String) throws -> [String] {
        try readOnly(path).read { db in try String.fetchAll(db, sql: "SELECT note FROM checkpoint ORDER BY size") }
    }

    private static func readOnly(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}

/// A log query that cannot be answered.
public enum LogQueryError: Error, Equatable, CustomStringConvertible {
    case noCheckpoint
    case notCovered(index: UInt64, size: UInt64)

    public var description: String {
        switch self {
        case .noCheckpoint: "the log has no signed checkpoint yet"
        case .notCovered(let index, let size):
            "entry \(index) is not covered by the latest checkpoint (size \(size)); wait for the next checkpoint"
        }
    }
}
