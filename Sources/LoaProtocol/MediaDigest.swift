import Crypto
public import Foundation

/// The hash that addresses media on the wire.
public enum MediaDigest {
    /// Lowercase hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
