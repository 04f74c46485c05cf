public import Foundation

/// Merkle tree hashing and proofs exactly as RFC 6962 §2.1 and RFC 9162 §2.1
/// define them, over SHA-256: any tool that checks Certificate Transparency
/// proofs checks these.
///
/// The functions here take the whole list of leaf hashes and rebuild what they
/// need each call; a log that answers many proofs keeps a `MerkleTreeCache`.
public enum MerkleTree {
    /// `SHA-256(0x00 ‖ data)`, the leaf hash of one entry.
    public static func leafHash(_ data: Data) -> Data { LogHash.leaf(data) }

    /// `SHA-256(0x01 ‖ left ‖ right)`, the hash of an interior node.
    public static func nodeHash(_ left: Data, _ right: Data) -> Data { LogHash.node(left, right) }

    /// The Merkle tree hash (MTH) of the given leaf hashes; `SHA-256("")` when empty.
    public static func root(leafHashes: [Data]) -> Data {
        MerkleTreeCache(leafHashes: leafHashes).root
    }

    /// The audit path (RFC 9162 §2.1.3.1) of leaf `index` in the tree of the
    /// first `size` leaf hashes: the sibling hashes from the leaf up to the root.
    /// - Throws: `MerkleTreeError.indexOutOfRange` unless `index < size ≤ leafHashes.count`.
    public static func inclusionProof(index: UInt64, size: UInt64, leafHashes: [Data]) throws(MerkleTreeError) -> [Data] {
        try MerkleTreeCache(leafHashes: leafHashes.prefix(Int(clamping: size))).inclusionProof(index: index, size: size)
    }

    /// The consistency proof (RFC 9162 §2.1.4.1) between the trees of the first
    /// `oldSize` and the first `newSize` leaf hashes; empty when `oldSize` is 0 or equals `newSize`.
    /// - Throws: `MerkleTreeError.sizeOutOfRange` unless `oldSize ≤ newSize ≤ leafHashes.count`.
    public static func consistencyProof(from oldSize: UInt64, to newSize: UInt64, leafHashes: [Data]) throws(MerkleTreeError) -> [Data] {
        try MerkleTreeCache(leafHashes: leafHashes.prefix(Int(clamping: newSize))).consistencyProof(from: oldSize, to: newSize)
    }
}

/// A proof that cannot be made because the tree does not have what it asks for.
public enum MerkleTreeError: Error, Equatable, CustomStringConvertible {
    /// The leaf index is not below the tree size, or the size is beyond the leaves known.
    case indexOutOfRange(index: UInt64, size: UInt64, count: UInt64)
    /// The old size is above the new size, or the new size is beyond the leaves known.
    case sizeOutOfRange(oldSize: UInt64, newSize: UInt64, count: UInt64)

    /// A sentence naming the numbers at fault.
    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let size, let count):
            "no leaf \(index) in a tree of size \(size) (the log holds \(count) entries)"
        case .sizeOutOfRange(let oldSize, let newSize, let count):
            "no consistency proof from size \(oldSize) to size \(newSize) (the log holds \(count) entries)"
        }
    }
}
