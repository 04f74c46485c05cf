public import Foundation
import LoaProtocol

/// The exact bytes of a log entry, the data whose leaf hash goes into the tree.
///
/// An entry is a flat JSON object whose values are all strings, in the
/// canonical form of RFC 8785 (JSON Canonicalization Scheme) restricted to
/// such objects, after Unicode NFC normalization of every key and value:
///
/// - UTF-8, no byte order mark, no whitespace outside strings: `{"k":"v","k2":"v2"}`;
/// - keys sorted by their UTF-16 code units (for ASCII keys: byte order), no duplicates;
/// - in strings, `"` → `\"`, `\` → `\\`, U+0008 → `\b`, U+0009 → `\t`, U+000A → `\n`,
///   U+000C → `\f`, U+000D → `\r`, other U+0000–U+001F → `\u00xx` (lowercase hex);
///   every other character, `/` and non-ASCII included, as its own UTF-8 bytes;
/// - absent values are left out; numbers and instants are written as strings by
///   the producer (see `LogEntryEncoding.fields(event:receivedAt:)`).
///
/// Any RFC 8785 implementation given the same object produces the same bytes.
public enum LogEntryEncoding {
    /// The canonical bytes of an entry with these fields (in any order).
    /// - Throws: `LogEntryError.duplicateKey` when two keys are equal after NFC normalization.
    public static func encode(fields: [(String, String)]) throws(LogEntryError) -> Data {
        var normalized: [(key: String, value: String)] = []
        var seen = Set<String>()
        for (key, value) in fields {
            let key = nfc(key)
            guard seen.insert(key).inserted else { throw .duplicateKey(key) }
            normalized.append((key, nfc(value)))
        }
        normalized.sort { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
        // Built as bytes: a log entry is encoded for every event stored and read back for
        // every entry verified.
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(normalized.reduce(2) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
        for (offset, field) in normalized.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.appendKey(field.key, to: &out)
            JSONString.appendQuoted(field.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// The canonical bytes of an entry with these fields.
    public static func encode(fields: [String: String]) -> Data {
        // Keys of a dictionary are distinct; NFC could only merge keys that differ in normalization.
        (try? encode(fields: fields.map { ($0.key, $0.value) })) ?? Data()
    }

    /// The fields of an entry, checking that the bytes are exactly the canonical encoding.
    /// - Throws: `LogEntryError.notCanonical` when the bytes are not a string-valued
    ///   JSON object in canonical form.
    public static func decode(_ data: Data) throws(LogEntryError) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: []) as? [String: Any] else {
            throw .notCanonical("not a JSON object")
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            guard let text = value as? String else { throw .notCanonical("the value of '\(key)' is not a string") }
            fields[key] = text
        }
        guard encode(fields: fields) == data else {
            throw .notCanonical("the bytes differ from the canonical encoding (key order, spacing, escaping, NFC or a duplicate key)")
        }
        return fields
    }

    /// NFC; ASCII text is already NFC, and most fields are ASCII.
    private static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }
}

/// Why bytes are not a log entry.
public enum LogEntryError: Error, Equatable, CustomStringConvertible {
    /// Two fields have the same key.
    case duplicateKey(String)
    /// The bytes are not the canonical encoding of a string-valued object.
    case notCanonical(String)

    /// A sentence naming what is wrong.
    public var description: String {
        switch self {
        case .duplicateKey(let key): "the field '\(key)' appears twice"
        case .notCanonical(let reason): "not a canonical log entry: \(reason)"
        }
    }
}
