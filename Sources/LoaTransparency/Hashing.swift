import Crypto
public import Foundation

/// The three SHA-256 hashes of the transparency log, each with its own
/// one-byte domain prefix so that no hash of one kind can pass for another:
///
/// - leaf: `SHA-256(0x00 ‖ entry bytes)` (RFC 6962 §2.1, RFC 9162 §2.1.1)
/// - node: `SHA-256(0x01 ‖ left ‖ right)` (RFC 6962 §2.1, RFC 9162 §2.1.1)
/// - chain: `SHA-256(0x02 ‖ previous chain hash ‖ leaf hash)` (this log's own; see `HashChain`)
public enum LogHash {
    /// The length of every hash in the log, in bytes.
    public static let size = 32

    /// The domain prefix of leaf hashes.
    public static let leafPrefix: UInt8 = 0x00
    /// The domain prefix of interior node hashes.
    public static let nodePrefix: UInt8 = 0x01
    /// The domain prefix of hash-chain links.
    public static let chainPrefix: UInt8 = 0x02

    /// `SHA-256(0x00 ‖ data)`: the hash of a log entry.
    public static func leaf(_ data: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [leafPrefix])
        hasher.update(data: data)
        return Data(hasher.finalize())
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`: the hash of an interior node.
    public static func node(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [nodePrefix])
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }

    /// `SHA-256(0x02 ‖ previous ‖ leafHash)`: one link of the hash chain.
    public static func chain(previous: Data, leafHash: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [chainPrefix])
        hasher.update(data: previous)
        hasher.update(data: leafHash)
        return Data(hasher.finalize())
    }

    /// `SHA-256("")`: the root of the empty tree (RFC 9162 §2.1.1).
    public static let emptyRoot = Data(SHA256.hash(data: Data()))

    /// The node hash of two adjacent 32-byte hashes in raw memory, appended to `output`.
    static func node(left: UnsafeRawBufferPointer, right: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        var hasher = SHA256()
        withUnsafeBytes(of: nodePrefix) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: left)
        hasher.update(bufferPointer: right)
        hasher.finalize().withUnsafeBytes { output.append(contentsOf: $0) }
    }
}
