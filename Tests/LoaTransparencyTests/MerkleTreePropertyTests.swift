import Foundation
import LoaTransparency
import Testing

/// Every proof of every tree of 1…64 random leaves, checked against a textbook
/// implementation of RFC 6962 and against alteration.
@Suite("RFC 6962 Merkle tree: every proof for sizes 1…64", .serialized)  // CPU-heavy: one core, so timed suites are not starved
struct MerkleTreePropertyTests {
    static let maxSize = 64

    static func randomLeaves(_ count: Int, seed: UInt64) -> [Data] {
        var random = SplitMix(state: seed)
        // Distinct entries: the index, then 0–39 random bytes.
        return (0..<count).map { index in
            MerkleTree.leafHash(Data([UInt8(index % 256), UInt8(index / 256)] + (0..<Int(random.next() % 40)).map { _ in UInt8.random(in: 0...255, using: &random) }))
        }
    }

    /// The sequence of combining steps the RFC 9162 inclusion verifier takes for
    /// `index`/`size` with `count` hashes (nil: it fails whatever the hashes).
    /// Two (index, size) pairs with the same steps accept the same proofs: the
    /// size is only bound by the signed checkpoint, not by the proof.
    static func inclusionSteps(index: UInt64, size: UInt64, count: Int) -> [Bool]? {
        guard index < size else { return nil }
        var fn = index, sn = size - 1, steps: [Bool] = []
        for _ in 0..<count {
            if sn == 0 { return nil }
            if fn & 1 == 1 || fn == sn {
                steps.append(true)
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            } else {
                steps.append(false)
            }
            fn >>= 1; sn >>= 1
        }
        return sn == 0 ? steps : nil
    }

    /// The same for the consistency verifier: whether the old root is prepended, then each step.
    static func consistencySteps(oldSize: UInt64, newSize: UInt64, count: Int) -> [UInt8]? {
        guard oldSize < newSize, oldSize > 0, count > 0 else { return nil }
        let prepended = oldSize & (oldSize - 1) == 0
        var fn = oldSize - 1, sn = newSize - 1, steps: [UInt8] = [prepended ? 1 : 0]
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        for _ in 0..<(count + (prepended ? 1 : 0) - 1) {
            if sn == 0 { return nil }
            if fn & 1 == 1 || fn == sn {
                steps.append(2)
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            } else {
                steps.append(3)
            }
            fn >>= 1; sn >>= 1
        }
        return sn == 0 ? steps : nil
    }

    @Test("roots and inclusion proofs equal the RFC's recursive definitions, verify, and fail when altered",
          arguments: 1...maxSize)
    func inclusion(size n: Int) throws {
        let leaves = Self.randomLeaves(Self.maxSize * 2 + 2, seed: UInt64(n))
        let cache = MerkleTreeCache(leafHashes: leaves)
        let size = UInt64(n)
        let root = try cache.root(size: size)
        #expect(root == ReferenceTree.mth(leaves.prefix(n)))
        for i in 0..<n {
            let index = UInt64(i)
            let proof = try cache.inclusionProof(index: index, size: size)
            #expect(proof == ReferenceTree.path(i, leaves.prefix(n)), "leaf \(i) of \(n)")
            #expect(MerkleTree.verifyInclusion(leafHash: leaves[i], index: index, size: size, proof: proof, root: root))

            // Every byte of every proof hash, of the root and of the leaf is altered in turn; the
            // failures are gathered so that thousands of checks cost one expectation each.
            var accepted: [String] = []
            for (k, hash) in proof.enumerated() {
                for byte in 0..<hash.count {
                    var altered = proof
                    altered[k] = flipping(hash, byte: byte, bit: 1 << UInt8(byte % 8))
                    if MerkleTree.verifyInclusion(leafHash: leaves[i], index: index, size: size, proof: altered, root: root) {
                        accepted.append("proof[\(k)] byte \(byte), leaf \(i) of \(n)")
                    }
                }
            }
            for byte in 0..<32 {
                if MerkleTree.verifyInclusion(leafHash: leaves[i], index: index, size: size, proof: proof,
                                              root: flipping(root, byte: byte)) {
                    accepted.append("root byte \(byte), leaf \(i) of \(n)")
                }
                if MerkleTree.verifyInclusion(leafHash: flipping(leaves[i], byte: byte), index: index, size: size,
                                              proof: proof, root: root) {
                    accepted.append("leaf byte \(byte), leaf \(i) of \(n)")
                }
            }
            #expect(accepted.isEmpty, "altered proofs accepted: \(accepted.prefix(5))")
            #expect(!MerkleTree.verifyInclusion(leafHash: leaves[i], index: index, size: size, proof: proof + [root], root: root))
            #expect(!MerkleTree.verifyInclusion(leafHash: leaves[i], index: index, size: size, proof: [root] + proof, root: root))
            if !proof.isEmpty {
                #expect(!MerkleTree.verifyInclusion(leafHash: leaves[i], index: index, size: size, proof: proof.dropLast(), root: root))
            }
            let otherIndexes = (0..<(2 * n + 2)).filter { other in
                other != i && MerkleTree.verifyInclusion(leafHash: leaves[i], index: UInt64(other), size: size, proof: proof, root: root)
            }
            #expect(otherIndexes.isEmpty, "leaf \(i) of \(n) also proved at indexes \(otherIndexes)")
            let steps = Self.inclusionSteps(index: index, size: size, count: proof.count)
            var wrongSizes: [Int] = []
            for other in 0...(2 * n + 2) where other != n {
                let accepted = MerkleTree.verifyInclusion(leafHash: leaves[i], index: index, size: UInt64(other), proof: proof, root: root)
                let sameShape = Self.inclusionSteps(index: index, size: UInt64(other), count: proof.count) == steps
                if accepted != sameShape || (accepted && (other == 2 * n || other == n / 2)) { wrongSizes.append(other) }
            }
            #expect(wrongSizes.isEmpty, "size \(n), leaf \(i): wrong verdicts at sizes \(wrongSizes)")
        }
    }

    @Test("consistency proofs equal the RFC's recursive definitions, verify, and fail when altered",
          arguments: 1...maxSize)
    func consistency(newSize n: Int) throws {
        let leaves = Self.randomLeaves(n, seed: UInt64(1000 + n))
        let cache = MerkleTreeCache(leafHashes: leaves)
        let newSize = UInt64(n)
        let newRoot = cache.root
        for m in 0...n {
            let oldSize = UInt64(m)
            let oldRoot = try cache.root(size: oldSize)
            let proof = try cache.consistencyProof(from: oldSize, to: newSize)
            #expect(proof == ReferenceTree.proof(m, leaves[...]), "\(m) → \(n)")
            #expect(MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof))

            var accepted: [String] = []
            for (k, hash) in proof.enumerated() {
                for byte in 0..<hash.count {
                    var altered = proof
                    altered[k] = flipping(hash, byte: byte, bit: 1 << UInt8(byte % 8))
                    if MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: altered) {
                        accepted.append("proof[\(k)] byte \(byte), \(m) → \(n)")
                    }
                }
            }
            for byte in 0..<32 {
                if MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: flipping(oldRoot, byte: byte),
                                                newRoot: newRoot, proof: proof) {
                    accepted.append("old root byte \(byte), \(m) → \(n)")
                }
                // From the empty tree every new root is consistent: there is nothing to prove.
                if m > 0, MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot,
                                                       newRoot: flipping(newRoot, byte: byte), proof: proof) {
                    accepted.append("new root byte \(byte), \(m) → \(n)")
                }
            }
            #expect(accepted.isEmpty, "altered proofs accepted: \(accepted.prefix(5))")
            #expect(!MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof + [newRoot]))
            if !proof.isEmpty {
                #expect(!MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof.dropLast()))
                #expect(!MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: [proof[0]] + proof))
            }
            let steps = Self.consistencySteps(oldSize: oldSize, newSize: newSize, count: proof.count)
            var wrongOldSizes: [Int] = []
            for other in 0...(2 * n + 2) where other != m {
                let accepted = MerkleTree.verifyConsistency(oldSize: UInt64(other), newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
                let sameShape = steps != nil && Self.consistencySteps(oldSize: UInt64(other), newSize: newSize, count: proof.count) == steps
                if accepted != sameShape { wrongOldSizes.append(other) }
            }
            #expect(wrongOldSizes.isEmpty, "\(m) → \(n): wrong verdicts at old sizes \(wrongOldSizes)")
            var wrongNewSizes: [Int] = []
            for other in 0...(2 * n + 2) where other != n {
                let accepted = MerkleTree.verifyConsistency(oldSize: oldSize, newSize: UInt64(other), oldRoot: oldRoot, newRoot: newRoot, proof: proof)
                // The empty tree is a prefix of every tree.
                let sameShape = (m == 0 && other > 0)
                    || (steps != nil && Self.consistencySteps(oldSize: oldSize, newSize: UInt64(other), count: proof.count) == steps)
                if accepted != sameShape || (accepted && other == 2 * n && m > 0) { wrongNewSizes.append(other) }
            }
            #expect(wrongNewSizes.isEmpty, "\(m) → \(n): wrong verdicts at new sizes \(wrongNewSizes)")
        }
    }

    @Test("appending one leaf at a time gives the same roots as building from the whole list")
    func incremental() throws {
        let leaves = Self.randomLeaves(300, seed: 7)
        var cache = MerkleTreeCache()
        for (i, leaf) in leaves.enumerated() {
            cache.append(leafHash: leaf)
            #expect(cache.count == UInt64(i + 1))
            #expect(cache.root == ReferenceTree.mth(leaves.prefix(i + 1)))
            #expect(cache.leafHash(at: UInt64(i)) == leaf)
        }
    }
}
