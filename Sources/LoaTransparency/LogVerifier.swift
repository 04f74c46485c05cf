import Foundation
public import LoaProtocol

/// Checks a stored log from its rows and signed checkpoints alone, the way an
/// outside supervisor would: recomputes every leaf hash, the hash chain and
/// the Merkle tree; checks each checkpoint's signature, its root against the
/// recomputed root at its size, and the consistency of consecutive checkpoints.
///
/// Feed the rows in stored order with `check(_:)` (a million rows need about
/// 100 MB: the tree's hashes, not the entries), then call `finish(checkpoints:)`.
/// Pass every checkpoint you hold: those the log stored and those kept outside
/// it (published over HTTP or MQTT) — only an outside checkpoint reveals a log
/// rolled back together with its own checkpoints.
public struct LogVerifier: Sendable {
    /// The keys whose checkpoint signatures are accepted.
    public let keys: [VerifierKey]
    /// The log's origin; checkpoints of another origin are refused. Nil: any.
    public let origin: String?

    private var tree = MerkleTreeCache()
    private var chainHead = HashChain.genesis
    /// The chain hashes before the latest rows (oldest first), to tell an insertion
    /// from a break: the row after inserted rows follows from the row before them.
    private var recentChainHeads: [Data] = []
    /// Insertions found by the chain alone: the problem's place in `problems`, the first
    /// row taken for inserted and the row whose chain skips them.
    private var insertionCandidates: [(problem: Int, firstInserted: UInt64, row: UInt64)] = []
    /// How many inserted rows in a row are recognised as such.
    static let insertionLookBack = 64
    private var nextIndex: UInt64 = 0
    private var problems: [LogProblem] = []
    private var problemCount = 0

    /// At most this many problems are kept in the report (all are counted).
    public static let maximumProblemsKept = 1000

    /// A verifier for a log signed by `keys` under `origin`.
    public init(keys: [VerifierKey], origin: String? = nil) {
        self.keys = keys
        self.origin = origin
    }

    /// Checks the next stored row.
    public mutating func check(_ record: LogRecord) {
        let position = tree.count
        // A row out of place is reported where the sequence breaks, not again for every row after it.
        if record.index != nextIndex && record.index != position {
            if record.index > nextIndex {
                let last = record.index - 1
                report(nextIndex, .entryMissing, (nextIndex == last ? "entry \(nextIndex) is" : "entries \(nextIndex)–\(last) are")
                    + " not here: row \(position) holds entry \(record.index) (deleted, or moved further down)")
            } else {
                report(position, .entryOutOfOrder,
                       "row \(position) holds entry \(record.index), which comes after entry \(nextIndex &- 1) (inserted, duplicated or moved up)")
            }
        }
        nextIndex = record.index &+ 1
        let leafHash = LogHash.leaf(record.entry)
        let chainHash = HashChain.next(previous: chainHead, leafHash: leafHash)
        if leafHash != record.leafHash {
            report(record.index, .entryEdited,
                   "its bytes hash to \(Self.short(leafHash)) but the stored leaf hash is \(Self.short(record.leafHash))")
            // An edit alone leaves the stored chain consistent with the stored leaf hash.
            if HashChain.next(previous: chainHead, leafHash: record.leafHash) != record.chainHash {
                report(record.index, .chainBroken, "its stored chain hash does not follow from entry \(record.index &- 1)")
            }
        } else if chainHash != record.chainHash {
            if record.index == position, let inserted = insertedRows(before: record, leafHash: leafHash),
                UInt64(inserted) <= record.index
            {
                let first = record.index - UInt64(inserted)
                // Unless a matching signed checkpoint covers the rows taken for inserted (`finish`).
                insertionCandidates.append((problem: problems.count, firstInserted: first, row: record.index))
                report(first, .entryInserted, (inserted == 1 ? "row \(first) was" : "rows \(first)–\(record.index - 1) were")
                    + " inserted: entry \(record.index)'s stored chain hash follows from entry \(first &- 1), not from the row before it")
            } else {
                report(record.index, .chainBroken, record.index == 0
                    ? "its stored chain hash does not start from the genesis value"
                    : "its stored chain hash does not follow from the row before it")
            }
        }
        recentChainHeads.append(chainHead)
        if recentChainHeads.count > Self.insertionLookBack + 1 { recentChainHeads.removeFirst() }
        chainHead = record.chainHash
        tree.append(leafHash: leafHash)
    }

    /// How many rows just before `record` were inserted, when its stored chain hash
    /// follows from the chain hash of a row before them (the genesis for the first).
    private func insertedRows(before record: LogRecord, leafHash: Data) -> Int? {
        // recentChainHeads.last is the chain hash before the previous row, and so on back.
        for (skipped, previous) in recentChainHeads.reversed().enumerated()
        where HashChain.next(previous: previous, leafHash: leafHash) == record.chainHash {
            return skipped + 1
        }
        return nil
    }

    /// Checks the signed checkpoints (note texts, in any order) against the
    /// rows checked so far and returns the verdict.
    public func finish(checkpoints notes: [String]) -> LogVerificationReport {
        var verifier = self
        var accepted: [Checkpoint] = []
        for (number, note) in notes.enumerated() {
            do {
                accepted.append(try Checkpoint.open(note, keys: keys, origin: origin))
            } catch {
                verifier.report(nil, .checkpointRefused, "checkpoint #\(number + 1): \(error)")
            }
        }
        let sorted = Array(Set(accepted)).sorted {
            $0.size != $1.size ? $0.size < $1.size : $0.rootHash.lexicographicallyPrecedes($1.rootHash)
        }
        let count = tree.count
        var lastMatching: UInt64 = 0
        for checkpoint in sorted {
            guard checkpoint.size <= count else {
                verifier.report(count, .rolledBack,
                    "a checkpoint signed at size \(checkpoint.size) but the log holds \(count) entries: entries \(count)–\(checkpoint.size - 1) are gone")
                continue
            }
            // Safe: size ≤ count.
            let root = (try? tree.root(size: checkpoint.size)) ?? Data()
            if root == checkpoint.rootHash {
                lastMatching = max(lastMatching, checkpoint.size)
            } else {
                let known = verifier.problems.filter { $0.kind.namesEntryExactly }.compactMap(\.entry)
                    .filter { $0 >= lastMatching && $0 < checkpoint.size }.min()
                verifier.report(lastMatching, .checkpointRootMismatch,
                    "the root of the first \(checkpoint.size) entries is \(Self.short(root)), the signed root is \(Self.short(checkpoint.rootHash)); the change lies in entries \(lastMatching)–\(checkpoint.size - 1)"
                    + (known.map { ", first at entry \($0) (see above)" } ?? ""))
            }
        }
        // Rows a matching signed checkpoint covers were not inserted: the row whose chain
        // skips them is the forged one.
        for candidate in insertionCandidates where candidate.firstInserted < lastMatching && candidate.problem < verifier.problems.count {
            verifier.problems[candidate.problem] = LogProblem(
                entry: candidate.row, kind: .chainBroken,
                detail: "its stored chain hash does not follow from the row before it, which a signed checkpoint covers")
        }
        for (older, newer) in zip(sorted, sorted.dropFirst()) {
            if older.size == newer.size {
                verifier.report(older.size == 0 ? 0 : min(lastMatching, older.size - 1), .checkpointsInconsistent,
                    "two checkpoints of size \(older.size) with different roots: the log forked")
                continue
            }
            guard newer.size <= count, let proof = try? tree.consistencyProof(from: older.size, to: newer.size) else { continue }
            if !MerkleTree.verifyConsistency(oldSize: older.size, newSize: newer.size,
                                             oldRoot: older.rootHash, newRoot: newer.rootHash, proof: proof) {
                verifier.report(min(lastMatching, older.size), .checkpointsInconsistent,
                    "the checkpoints at sizes \(older.size) and \(newer.size) are not consistent with each other and this log")
            }
        }
        let latest = sorted.last
        return LogVerificationReport(
            entries: count, root: tree.root, chainHead: chainHead, checkpoints: sorted,
            uncovered: count - min(count, latest?.size ?? 0),
            problems: verifier.problems, problemCount: verifier.problemCount)
    }

    /// Checks a whole log held in memory.
    public static func verify(
        records: some Sequence<LogRecord>, checkpoints: [String], keys: [VerifierKey], origin: String? = nil
    ) -> LogVerificationReport {
        var verifier = LogVerifier(keys: keys, origin: origin)
        for record in records { verifier.check(record) }
        return verifier.finish(checkpoints: checkpoints)
    }

    private mutating func report(_ entry: UInt64?, _ kind: LogProblem.Kind, _ detail: String) {
        problemCount += 1
        if problems.count < Self.maximumProblemsKept { problems.append(LogProblem(entry: entry, kind: kind, detail: detail)) }
    }

    static func short(_ hash: Data) -> String { hash.base64EncodedString() }
}
