/// A string as JSON text, the way `WireCoding` (Foundation's encoder, slashes not
/// escaped) writes it: for the few messages written by hand because they are written
/// very often (log entries, signed envelopes, receipts).
package enum JSONString {
    /// Appends `text` as a JSON string: the quote, the backslash and control characters
    /// escaped, every other character as its UTF-8 bytes.
    package static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case ..<0x20: out += Array("\\u00".utf8) + Array((byte < 0x10 ? "0" : "").utf8) + Array(String(byte, radix: 16).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `"key":`.
    package static func appendKey(_ key: String, to out: inout [UInt8]) {
        appendQuoted(key, to: &out)
        out.append(UInt8(ascii: ":"))
    }
}
