import Crypto
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaFiles

/// The hash that addresses media on the wire.
public enum MediaDigest {
    /// Lowercase hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lowercase hex SHA-256 of the file at `url`, read 64 KiB at a time (never whole);
    /// nil when it cannot be read.
    public static func sha256(fileAt url: URL) -> String? {
        guard let file = try? ReadOnlyFile(url: url) else { return nil }
        var hasher = SHA256()
        do {
            // Empty: the end of the file.
            while case let block = try file.read(upToCount: 65_536), !block.isEmpty { hasher.update(data: block) }
        } catch {
            return nil
        }
        return hex(hasher.finalize())
    }

    /// A digest's bytes as lowercase hex, two digits a byte (not through
    /// `String(format:)`, which parsed a C format string for every byte of every
    /// digest, key id and chunk the controller wrote).
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(digest.underestimatedCount * 2)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
