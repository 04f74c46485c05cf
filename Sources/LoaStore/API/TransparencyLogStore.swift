public import Foundation
public import LoaProtocol
public import LoaTransparency

/// The transparency log: one append-only, gap-free sequence of entries per
/// commune, a Merkle tree over them, and checkpoints signed by the controller's key.
public protocol TransparencyLogStore: Sendable {
    /// The public key that verifies the checkpoints signed now (after a rotation,
    /// older checkpoints need the earlier keys: `GET /log/keys`).
    var verifierKey: VerifierKey { get }
    /// How many entries the log holds, as committed.
    var logSize: UInt64 { get }
    /// Signs a checkpoint of the log as it is and keeps it in the log's history.
    /// - Returns: the signed note.
    func signCheckpoint(at now: Date) async throws -> String
    /// The checkpoint signed last, if any.
    func latestCheckpoint() async throws -> String?
    /// The proof that entry `index` is in the tree of the current size.
    /// - Throws: `LogQueryError` for an index past the end.
    func inclusionProof(index: UInt64) async throws -> InclusionProof
    /// The proof that the tree of `oldSize` is a prefix of the tree of `newSize`.
    /// - Throws: `LogQueryError` for sizes out of order or past the end.
    func consistencyProof(from oldSize: UInt64, to newSize: UInt64) async throws -> ConsistencyProof
    /// The stored records (entry bytes and their leaf hashes) in `range`.
    /// - Throws: `LogQueryError` for a range past the end.
    func logRecords(in range: Range<UInt64>) async throws -> [LogRecord]
    /// The log entries that match `query`, in log order, read from their stored bytes.
    func logEntries(matching query: LogQuery) async throws -> [LoggedEntry]
}

extension TransparencyLogStore {
    /// Every entry of the log, in order.
    public func logEntries() async throws -> [LoggedEntry] { try await logEntries(matching: LogQuery()) }
}
