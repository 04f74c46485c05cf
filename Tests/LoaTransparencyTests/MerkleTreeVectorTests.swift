import Foundation
import LoaTransparency
import Testing

/// The RFC 6962 test vectors of transparency-dev/merkle (originally from
/// certificate-transparency-go): the eight leaves and roots from
/// `testonly/constants.go` (LeafInputs, RootHashes, NodeHashes), the inclusion
/// and consistency proofs from `proof/verify_test.go` (inclusionProofs,
/// consistencyProofs; their leaf numbers there are 1-based).
/// https://github.com/transparency-dev/merkle
@Suite("RFC 6962 Merkle tree: published test vectors")
struct MerkleTreeVectorTests {
    static let leaves: [Data] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(hex)

    /// RootHashes()[1...8]: the roots of the trees of the first 1…8 leaves.
    static let roots: [Data] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(hex)

    /// (0-based leaf index, tree size, audit path).
    static let inclusion: [(UInt64, UInt64, [String])] = [
        (0, 1, []),
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    ]

    /// (old size, new size, consistency path).
    static let consistency: [(UInt64, UInt64, [String])] = [
        (1, 1, []),
        (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    ]

    var leafHashes: [Data] { Self.leaves.map(MerkleTree.leafHash) }

    @Test("the empty tree's root is SHA-256 of nothing, and the leaf hashes are NodeHashes level 0")
    func emptyAndLeaves() {
        #expect(hexString(MerkleTree.root(leafHashes: [])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hexString(leafHashes[0]) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        #expect(hexString(leafHashes[7]) == "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1")
    }

    @Test("the roots of the trees of 1…8 leaves match, from the list and from the cache at every size")
    func roots() throws {
        let cache = MerkleTreeCache(leafHashes: leafHashes)
        for size in 1...8 {
            #expect(MerkleTree.root(leafHashes: Array(leafHashes.prefix(size))) == Self.roots[size - 1], "size \(size)")
            #expect(try cache.root(size: UInt64(size)) == Self.roots[size - 1], "cached size \(size)")
        }
    }

    @Test("the published inclusion proofs are produced and verify")
    func inclusionProofs() throws {
        for (index, size, path) in Self.inclusion {
            let expected = path.map(hex)
            let proof = try MerkleTree.inclusionProof(index: index, size: size, leafHashes: leafHashes)
            #expect(proof == expected, "leaf \(index) of \(size)")
            #expect(MerkleTree.verifyInclusion(leafHash: leafHashes[Int(index)], index: index, size: size,
                                               proof: expected, root: Self.roots[Int(size) - 1]))
        }
    }

    @Test("the published consistency proofs are produced and verify")
    func consistencyProofs() throws {
        for (oldSize, newSize, path) in Self.consistency {
            let expected = path.map(hex)
            let proof = try MerkleTree.consistencyProof(from: oldSize, to: newSize, leafHashes: leafHashes)
            #expect(proof == expected, "\(oldSize) → \(newSize)")
            #expect(MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: Self.roots[Int(oldSize) - 1],
                                                 newRoot: Self.roots[Int(newSize) - 1], proof: expected))
        }
    }

    @Test("proofs outside the tree are refused with the numbers at fault")
    func outOfRange() {
        #expect(throws: MerkleTreeError.indexOutOfRange(index: 8, size: 8, count: 8)) {
            try MerkleTree.inclusionProof(index: 8, size: 8, leafHashes: leafHashes)
        }
        #expect(throws: MerkleTreeError.sizeOutOfRange(oldSize: 5, newSize: 9, count: 8)) {
            try MerkleTreeCache(leafHashes: leafHashes).consistencyProof(from: 5, to: 9)
        }
        #expect(throws: MerkleTreeError.sizeOutOfRange(oldSize: 6, newSize: 5, count: 8)) {
            try MerkleTreeCache(leafHashes: leafHashes).consistencyProof(from: 6, to: 5)
        }
    }
}
