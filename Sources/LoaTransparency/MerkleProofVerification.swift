public import Foundation

extension MerkleTree {
    /// True when `proof` shows that `leafHash` is leaf `index` of the tree of
    /// `size` leaves whose root is `root` (RFC 9162 §2.1.3.2).
    ///
    /// The proof binds the leaf, its index and the root; it does not bind the
    /// size on its own (different sizes can share a path shape), so `size` and
    /// `root` must come from the same signed checkpoint.
    public static func verifyInclusion(leafHash: Data, index: UInt64, size: UInt64, proof: [Data], root: Data) -> Bool {
        guard index < size, leafHash.count == LogHash.size, root.count == LogHash.size,
              proof.allSatisfy({ $0.count == LogHash.size })
        else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = LogHash.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = LogHash.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// True when `proof` shows that the tree of `oldSize` leaves with root
    /// `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`
    /// (RFC 9162 §2.1.4.2).
    ///
    /// Beyond the RFC's algorithm (which covers 0 < oldSize < newSize): equal
    /// sizes need an empty proof and equal roots; an old size of 0 needs an
    /// empty proof and `oldRoot` equal to `SHA-256("")`.
    public static func verifyConsistency(oldSize: UInt64, newSize: UInt64, oldRoot: Data, newRoot: Data, proof: [Data]) -> Bool {
        guard oldSize <= newSize, oldRoot.count == LogHash.size, newRoot.count == LogHash.size,
              proof.allSatisfy({ $0.count == LogHash.size })
        else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty && oldRoot == LogHash.emptyRoot }
        guard !proof.isEmpty else { return false }
        var path = proof[...]
        if oldSize & (oldSize - 1) == 0 { path = ([oldRoot] + proof)[...] }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path.removeFirst()
        var sr = fr
        for c in path {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = LogHash.node(c, fr)
                sr = LogHash.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = LogHash.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
