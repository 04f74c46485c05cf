/// One way the stored log does not match what its hashes and checkpoints say,
/// naming the first entry concerned and the tampering that most likely caused it.
public struct LogProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first entry index that does not match; nil when no entry can be named
    /// (a checkpoint that is refused outright).
    public var entry: UInt64?
    /// What kind of mismatch, and so what kind of tampering is likely.
    public var kind: Kind
    /// The specifics: sizes, hashes, the checkpoint.
    public var detail: String

    /// A problem from its parts.
    public init(entry: UInt64?, kind: Kind, detail: String) {
        self.entry = entry
        self.kind = kind
        self.detail = detail
    }

    /// The kinds of mismatch.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The entry's bytes do not hash to its stored leaf hash.
        case entryEdited
        /// The stored indexes skip one or more entries.
        case entryMissing
        /// An index repeats or goes backwards.
        case entryOutOfOrder
        /// The stored chain hash does not follow from the previous row.
        case chainBroken
        /// Rows with a chain of their own were inserted before a row whose stored
        /// chain hash follows from the row before them.
        case entryInserted
        /// The log's head checkpoint, which the controller re-signs with every append,
        /// is gone: whatever the rows say, none of them is vouched for.
        case headCheckpointMissing
        /// A checkpoint covers more entries than the log holds.
        case rolledBack
        /// The root recomputed at a checkpoint's size differs from the signed root.
        case checkpointRootMismatch
        /// Two signed checkpoints cannot both be prefixes of one log.
        case checkpointsInconsistent
        /// A checkpoint note is malformed, unsigned by a known key, or of another log.
        case checkpointRefused
        /// The entry lies after the last signed checkpoint, in a log whose controller
        /// signs every append: no signature covers it.
        case notCovered

        /// True when the problem's `entry` is the entry at fault; false when it is
        /// the lower bound of a range (a checkpoint says only that something in
        /// the entries it covers changed).
        public var namesEntryExactly: Bool {
            switch self {
            case .entryEdited, .entryMissing, .entryOutOfOrder, .chainBroken, .entryInserted, .rolledBack, .notCovered: true
            case .checkpointRootMismatch, .checkpointsInconsistent, .checkpointRefused, .headCheckpointMissing: false
            }
        }

        /// The tampering this mismatch most likely shows, in words for a supervisor.
        public var likelyCause: String {
            switch self {
            case .entryEdited: "a field of this entry was edited"
            case .entryMissing: "a row was deleted (or moved)"
            case .entryOutOfOrder: "a row was inserted, duplicated or moved"
            case .chainBroken: "a row was deleted, inserted, reordered or forged here (or edited with its leaf hash recomputed)"
            case .entryInserted: "a row was inserted here, its chain hash computed to fit (forged)"
            case .headCheckpointMissing: "the signed head checkpoint was deleted (with the rows after some point, or to hide forged rows)"
            case .rolledBack: "the log was truncated or rolled back to an older copy"
            case .checkpointRootMismatch: "entries covered by this checkpoint were rewritten after it was signed"
            case .checkpointsInconsistent: "the log's history was rewritten between two signed checkpoints"
            case .checkpointRefused: "a checkpoint was forged, altered, or signed by another key"
            case .notCovered: "a row was appended without the controller's signature (forged)"
            }
        }
    }

    /// `entry N: likely cause (detail)`.
    public var description: String {
        "\(entry.map { "entry \($0)" } ?? "log"): \(kind.likelyCause) — \(detail)"
    }
}
