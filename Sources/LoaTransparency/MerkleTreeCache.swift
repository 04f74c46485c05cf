public import Foundation

/// An append-only RFC 6962 Merkle tree that keeps the hash of every complete
/// subtree, so appending costs one leaf plus on average one node hash, and a
/// root, inclusion proof or consistency proof at any size costs O(log² n)
/// hashes instead of rehashing every leaf.
///
/// Level `k` holds the hashes of the aligned subtrees of `2^k` leaves, stored
/// flat (32 bytes each); all levels together take about twice the leaf hashes'
/// memory (64 MB for a million entries).
public struct MerkleTreeCache: Sendable {
    private var levels: [[UInt8]] = [[]]

    /// The number of leaves appended.
    public private(set) var count: UInt64 = 0

    /// An empty tree.
    public init() {}

    /// A tree of the given leaf hashes, in order.
    public init(leafHashes: some Sequence<Data>) {
        for hash in leafHashes { append(leafHash: hash) }
    }

    /// Appends the leaf hash (32 bytes, `MerkleTree.leafHash(entry)`) of the next entry.
    public mutating func append(leafHash: Data) {
        precondition(leafHash.count == LogHash.size, "a leaf hash has 32 bytes")
        levels[0].append(contentsOf: leafHash)
        count += 1
        var level = 0
        var width = count
        while width % 2 == 0 {
            var parent: [UInt8] = []
            parent.reserveCapacity(LogHash.size)
            levels[level].withUnsafeBytes { bytes in
                let end = bytes.count
                LogHash.node(
                    left: UnsafeRawBufferPointer(rebasing: bytes[(end - 64)..<(end - 32)]),
                    right: UnsafeRawBufferPointer(rebasing: bytes[(end - 32)..<end]),
                    appendingTo: &parent)
            }
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(contentsOf: parent)
            level += 1
            width /= 2
        }
    }

    /// The leaf hash at `index`.
    public func leafHash(at index: UInt64) -> Data {
        precondition(index < count, "leaf \(index) of \(count)")
        return stored(level: 0, index: Int(index))
    }

    /// The root of the whole tree.
    public var root: Data { subtreeHash(0, count) }

    /// The root of the tree of the first `size` leaves.
    /// - Throws: `MerkleTreeError.sizeOutOfRange` when `size` exceeds `count`.
    public func root(size: UInt64) throws(MerkleTreeError) -> Data {
        guard size <= count else { throw .sizeOutOfRange(oldSize: size, newSize: size, count: count) }
        return subtreeHash(0, size)
    }

    /// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1).
    /// - Throws: `MerkleTreeError.indexOutOfRange` unless `index < size ≤ count`.
    public func inclusionProof(index: UInt64, size: UInt64) throws(MerkleTreeError) -> [Data] {
        guard index < size, size <= count else { throw .indexOutOfRange(index: index, size: size, count: count) }
        var proof: [Data] = []
        path(index, 0, size, into: &proof)
        return proof
    }

    /// The consistency proof between the trees of the first `oldSize` and
    /// `newSize` leaves (RFC 9162 §2.1.4.1); empty when `oldSize` is 0 or equals `newSize`.
    /// - Throws: `MerkleTreeError.sizeOutOfRange` unless `oldSize ≤ newSize ≤ count`.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws(MerkleTreeError) -> [Data] {
        guard oldSize <= newSize, newSize <= count else {
            throw .sizeOutOfRange(oldSize: oldSize, newSize: newSize, count: count)
        }
        var proof: [Data] = []
        if oldSize > 0 && oldSize < newSize { subproof(oldSize, 0, newSize, complete: true, into: &proof) }
        return proof
    }

    // MARK: - RFC 9162 recursions over [start, end)

    /// PATH(m, D[start:end]) of RFC 9162 §2.1.3.1, deepest sibling first.
    private func path(_ m: UInt64, _ start: UInt64, _ end: UInt64, into proof: inout [Data]) {
        let n = end - start
        guard n > 1 else { return }
        let k = Self.split(n)
        if m < k {
            path(m, start, start + k, into: &proof)
            proof.append(subtreeHash(start + k, end))
        } else {
            path(m - k, start + k, end, into: &proof)
            proof.append(subtreeHash(start, start + k))
        }
    }

    /// SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1.
    private func subproof(_ m: UInt64, _ start: UInt64, _ end: UInt64, complete: Bool, into proof: inout [Data]) {
        let n = end - start
        if m == n {
            if !complete { proof.append(subtreeHash(start, end)) }
            return
        }
        let k = Self.split(n)
        if m <= k {
            subproof(m, start, start + k, complete: complete, into: &proof)
            proof.append(subtreeHash(start + k, end))
        } else {
            subproof(m - k, start + k, end, complete: false, into: &proof)
            proof.append(subtreeHash(start, start + k))
        }
    }

    /// MTH(D[start:end]): a stored hash when the range is an aligned complete subtree, else split.
    private func subtreeHash(_ start: UInt64, _ end: UInt64) -> Data {
        let n = end - start
        if n == 0 { return LogHash.emptyRoot }
        if n & (n - 1) == 0 && start % n == 0 {
            return stored(level: n.trailingZeroBitCount, index: Int(start / n))
        }
        let k = Self.split(n)
        return LogHash.node(subtreeHash(start, start + k), subtreeHash(start + k, end))
    }

    private func stored(level: Int, index: Int) -> Data {
        Data(levels[level][(index * LogHash.size)..<((index + 1) * LogHash.size)])
    }

    /// The largest power of two smaller than `n` (n ≥ 2).
    static func split(_ n: UInt64) -> UInt64 {
        UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }
}
