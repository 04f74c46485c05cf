public import Foundation

/// The hash chain over the log's entries, in order:
///
///     chain[-1] = 32 zero bytes
///     chain[i]  = SHA-256(0x02 ‖ chain[i−1] ‖ leafHash[i])      (65 bytes hashed)
///
/// where `leafHash[i] = SHA-256(0x00 ‖ entry[i])`. Each stored row carries its
/// chain hash, so a verifier walking the rows finds the first row that was
/// deleted, inserted or moved without needing a checkpoint; the Merkle tree and
/// signed checkpoints then bind the chain's content to what was published.
public struct HashChain: Sendable, Equatable {
    /// The chain value before the first entry: 32 zero bytes.
    public static let genesis = Data(count: LogHash.size)

    /// The chain hash of the last entry appended (`genesis` when none).
    public private(set) var head: Data
    /// The number of entries chained.
    public private(set) var count: UInt64

    /// A chain with no entries, or one resumed from a stored head after `count` entries.
    public init(head: Data = HashChain.genesis, count: UInt64 = 0) {
        self.head = head
        self.count = count
    }

    /// The chain hash that follows `previous` for an entry with `leafHash`.
    public static func next(previous: Data, leafHash: Data) -> Data {
        LogHash.chain(previous: previous, leafHash: leafHash)
    }

    /// Chains the next entry's leaf hash and returns its chain hash (the new head).
    @discardableResult
    public mutating func append(leafHash: Data) -> Data {
        head = Self.next(previous: head, leafHash: leafHash)
        count += 1
        return head
    }
}
