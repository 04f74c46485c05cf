import Foundation
import LoaTransparency
import Testing

@Suite("Hash chain and hash prefixes")
struct HashChainTests {
    /// chain[i] = SHA-256(0x02 ‖ chain[i−1] ‖ leafHash[i]) from 32 zero bytes, over the
    /// eight RFC 6962 test-vector leaves; the expected values were computed
    /// independently with Python's hashlib (and are the worked example of docs/transparency.md).
    static let chain = [
        "53cc28b203227f98ab407f4364eb99c7d3902400da57c8a4d35aa471036ee791",
        "78c187610c5c10f8dfa0b918f0784f1e4087b9f404b5ec461c895c3116b56ed6",
        "7e59456d940731d109135bf29ed67a6ad42bb199a75579cdeccdb64e036cb00a",
        "c79b0723e4ec0738d9e3604fca958eef397966516c7548d2d538745e8f4b833b",
        "4efa27e036fc415d0bce82923dd47f4dd972adeb97ba49b968b2744178a9e3c5",
        "83de0b616cc5b7c7d50decda3a459dbd3fdff0a2033386ba5faa2296788b62af",
        "4f0bb2d08201444a00984c7a60ae5f46c3d71dbd882a2f184283a24eedcd5d54",
        "f9ee4dd8c9395e59feffc1b5292f9213d1368edcee45e04b51d05caf9c4fd154",
    ]

    @Test("the chain over the RFC 6962 vector leaves has the documented values")
    func documentedBytes() {
        var chain = HashChain()
        #expect(chain.head == Data(count: 32))
        for (leaf, expected) in zip(MerkleTreeVectorTests.leaves, Self.chain) {
            #expect(hexString(chain.append(leafHash: MerkleTree.leafHash(leaf))) == expected)
        }
        #expect(chain.count == 8)
        #expect(hexString(chain.head) == Self.chain[7])
        #expect(HashChain(head: chain.head, count: 8) == chain)
    }

    @Test("a node hash is the hash of 0x01 ‖ left ‖ right: the vectors' level-1 node")
    func nodePrefix() {
        let leaves = MerkleTreeVectorTests.leaves.map(MerkleTree.leafHash)
        // NodeHashes()[1][0] of transparency-dev/merkle testonly/constants.go.
        #expect(hexString(MerkleTree.nodeHash(leaves[0], leaves[1])) == "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")
        #expect(LogHash.leafPrefix == 0 && LogHash.nodePrefix == 1 && LogHash.chainPrefix == 2)
    }
}
