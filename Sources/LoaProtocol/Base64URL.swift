#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Base64url without padding (RFC 4648 §5): media tokens and broker passwords, safe in
/// URLs, settings files and shell arguments.
public enum Base64URL {
    /// `data` in base64url, no `=` padding. Mapped byte by byte: the media token of every
    /// request to the controller is made with it, and Foundation's `replacingOccurrences`
    /// searched the string three times.
    public static func encode(_ data: Data) -> String {
        var bytes: [UInt8] = []
        for byte in data.base64EncodedData() where byte != UInt8(ascii: "=") {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "_"))
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
