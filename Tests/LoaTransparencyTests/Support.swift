import Foundation
import LoaTransparency

/// Hex helpers for test vectors.
func hex(_ text: String) -> Data {
    var data = Data()
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        data.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return data
}

func hexString(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

/// A textbook RFC 6962 §2.1 implementation, written straight from the RFC's
/// recursive definitions with no caching, to check `MerkleTreeCache` against.
enum ReferenceTree {
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    static func mth(_ d: ArraySlice<Data>) -> Data {
        if d.isEmpty { return LogHash.emptyRoot }
        if d.count == 1 { return d.first! }
        let k = split(d.count)
        return MerkleTree.nodeHash(mth(d.prefix(k)), mth(d.dropFirst(k)))
    }

    static func path(_ m: Int, _ d: ArraySlice<Data>) -> [Data] {
        if d.count <= 1 { return [] }
        let k = split(d.count)
        if m < k { return path(m, d.prefix(k)) + [mth(d.dropFirst(k))] }
        return path(m - k, d.dropFirst(k)) + [mth(d.prefix(k))]
    }

    static func subproof(_ m: Int, _ d: ArraySlice<Data>, _ b: Bool) -> [Data] {
        let n = d.count
        if m == n { return b ? [] : [mth(d)] }
        let k = split(n)
        if m <= k { return subproof(m, d.prefix(k), b) + [mth(d.dropFirst(k))] }
        return subproof(m - k, d.dropFirst(k), false) + [mth(d.prefix(k))]
    }

    static func proof(_ m: Int, _ d: ArraySlice<Data>) -> [Data] {
        m == 0 || m == d.count ? [] : subproof(m, d, true)
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Returns `data` with one bit of byte `byte` flipped.
func flipping(_ data: Data, byte: Int, bit: UInt8 = 0x01) -> Data {
    var copy = Data(data)
    copy[copy.startIndex + byte] ^= bit
    return copy
}
