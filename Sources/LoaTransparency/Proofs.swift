public import Foundation

/// A proof that one entry is in the log, as served over HTTP and printed by
/// `loa log prove`. JSON (hashes in standard base64):
///
///     {"hashes":["…","…"],"index":17,"leafHash":"…","root":"…","size":1000000}
///
/// plus `"checkpoint"`, the signed checkpoint note whose size and root these are, when known.
public struct InclusionProof: Sendable, Equatable, Codable {
    /// The entry's index.
    public var index: UInt64
    /// The tree size the proof is for.
    public var size: UInt64
    /// The entry's leaf hash, `SHA-256(0x00 ‖ entry)`.
    public var leafHash: Data
    /// The audit path, deepest sibling first (RFC 9162 §2.1.3.1).
    public var hashes: [Data]
    /// The root of the tree of `size` entries.
    public var root: Data
    /// The signed checkpoint note that commits to `size` and `root`, if any.
    public var checkpoint: String?

    /// A proof from its parts.
    public init(index: UInt64, size: UInt64, leafHash: Data, hashes: [Data], root: Data, checkpoint: String? = nil) {
        self.index = index
        self.size = size
        self.leafHash = leafHash
        self.hashes = hashes
        self.root = root
        self.checkpoint = checkpoint
    }

    /// True when the path leads from the leaf hash to the root (RFC 9162 §2.1.3.2).
    public var isValid: Bool {
        MerkleTree.verifyInclusion(leafHash: leafHash, index: index, size: size, proof: hashes, root: root)
    }
}

/// A proof that the log at `oldSize` is a prefix of the log at `newSize`. JSON:
///
///     {"hashes":["…"],"newRoot":"…","newSize":1000,"oldRoot":"…","oldSize":900}
public struct ConsistencyProof: Sendable, Equatable, Codable {
    /// The older tree size.
    public var oldSize: UInt64
    /// The newer tree size.
    public var newSize: UInt64
    /// The older root.
    public var oldRoot: Data
    /// The newer root.
    public var newRoot: Data
    /// The consistency path (RFC 9162 §2.1.4.1).
    public var hashes: [Data]

    /// A proof from its parts.
    public init(oldSize: UInt64, newSize: UInt64, oldRoot: Data, newRoot: Data, hashes: [Data]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.oldRoot = oldRoot
        self.newRoot = newRoot
        self.hashes = hashes
    }

    /// True when the proof links the two roots (RFC 9162 §2.1.4.2).
    public var isValid: Bool {
        MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: hashes)
    }
}
