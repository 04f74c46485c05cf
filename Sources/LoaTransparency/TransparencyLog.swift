public import Foundation

/// The log's in-memory state on the controller: the Merkle tree of all leaf
/// hashes and the head of the hash chain. It makes the rows to store, the
/// checkpoints to sign and the proofs to serve; storing them is the caller's job.
public struct TransparencyLog: Sendable {
    /// The tree of every entry's leaf hash.
    public private(set) var tree = MerkleTreeCache()
    /// The hash chain's head.
    public private(set) var chain = HashChain()

    /// An empty log.
    public init() {}

    /// The number of entries.
    public var size: UInt64 { tree.count }

    /// Appends an entry and returns the row to store.
    public mutating func append(_ entry: Data) -> LogRecord {
        let leafHash = LogHash.leaf(entry)
        let index = tree.count
        tree.append(leafHash: leafHash)
        let chainHash = chain.append(leafHash: leafHash)
        return LogRecord(index: index, entry: entry, leafHash: leafHash, chainHash: chainHash)
    }

    /// Reloads a stored row on start-up, checking it is the next one and that its hashes follow.
    /// - Throws: `LogProblem` naming the row when it does not.
    public mutating func resume(_ record: LogRecord) throws(LogProblem) {
        guard record.index == size else {
            throw LogProblem(entry: size, kind: record.index > size ? .entryMissing : .entryOutOfOrder,
                             detail: "expected entry \(size), found entry \(record.index)")
        }
        let leafHash = LogHash.leaf(record.entry)
        guard leafHash == record.leafHash else {
            throw LogProblem(entry: record.index, kind: .entryEdited, detail: "its bytes do not hash to the stored leaf hash")
        }
        guard HashChain.next(previous: chain.head, leafHash: leafHash) == record.chainHash else {
            throw LogProblem(entry: record.index, kind: .chainBroken, detail: "its stored chain hash does not follow the previous entry")
        }
        tree.append(leafHash: leafHash)
        chain.append(leafHash: leafHash)
    }

    /// The checkpoint of the whole log under `origin`.
    public func checkpoint(origin: String) -> Checkpoint {
        Checkpoint(origin: origin, size: size, rootHash: tree.root)
    }

    /// The checkpoint of the first `size` entries under `origin`.
    /// - Throws: `MerkleTreeError.sizeOutOfRange` when `size` exceeds the log's.
    public func checkpoint(origin: String, size: UInt64) throws(MerkleTreeError) -> Checkpoint {
        Checkpoint(origin: origin, size: size, rootHash: try tree.root(size: size))
    }

    /// The inclusion proof of entry `index` in the tree of `size` entries.
    public func inclusionProof(index: UInt64, size: UInt64, checkpoint: String? = nil) throws(MerkleTreeError) -> InclusionProof {
        let hashes = try tree.inclusionProof(index: index, size: size)
        return InclusionProof(index: index, size: size, leafHash: tree.leafHash(at: index), hashes: hashes,
                              root: try tree.root(size: size), checkpoint: checkpoint)
    }

    /// The consistency proof between the trees of `oldSize` and `newSize` entries.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws(MerkleTreeError) -> ConsistencyProof {
        let hashes = try tree.consistencyProof(from: oldSize, to: newSize)
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, oldRoot: try tree.root(size: oldSize),
                                newRoot: try tree.root(size: newSize), hashes: hashes)
    }
}
