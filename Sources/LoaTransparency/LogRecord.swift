public import Foundation

/// One stored row of the log: the entry's position, its exact bytes and the
/// two hashes stored with it.
public struct LogRecord: Sendable, Equatable, Hashable, Codable {
    /// The entry's position, from 0, without gaps.
    public var index: UInt64
    /// The entry bytes (`LogEntryEncoding`), the leaf data of the tree.
    public var entry: Data
    /// `SHA-256(0x00 ‖ entry)`.
    public var leafHash: Data
    /// `SHA-256(0x02 ‖ previous chain hash ‖ leafHash)` (`HashChain`).
    public var chainHash: Data

    /// A row from its stored columns.
    public init(index: UInt64, entry: Data, leafHash: Data, chainHash: Data) {
        self.index = index
        self.entry = entry
        self.leafHash = leafHash
        self.chainHash = chainHash
    }
}
