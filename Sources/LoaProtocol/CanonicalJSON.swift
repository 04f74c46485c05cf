#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One byte form of a `Codable` value, the same in every process: JSON with
/// sorted keys, no spacing and no escaped `/` (as `WireCoding`), in which the
/// arrays that hold a Swift `Set` are sorted too. A `Set` encodes in its
/// iteration order, which differs between processes (hash seeding) and with the
/// set's capacity, so without this the same value would hash differently after a
/// restart.
///
/// Only the arrays named by `unorderedKeys` are sorted, an array being named by
/// its own key or, for an enum case's single value (`{"weekly":{"_0":[…]}}`), by
/// its case's key. Other arrays keep their order: two values that differ only in
/// the order of such a list get different bytes, which can only ask for more
/// (never less) approval.
public enum CanonicalJSON {
    /// The keys under which the schedule model (`LoaDomain`) encodes a `Set`:
    /// `DayPattern.weekly` and `BroadcastSlot.weekdays`.
    public static let scheduleSetKeys: Set<String> = ["weekly", "weekdays"]

    /// The canonical bytes of `value`.
    public static func encode<T: Encodable>(_ value: T, unorderedKeys: Set<String> = scheduleSetKeys) throws -> Data {
        try canonical(plain: WireCoding.encode(value), unorderedKeys: unorderedKeys)
    }

    /// The canonical bytes of the value `WireCoding` encoded as `plain`.
    static func canonical(plain: Data, unorderedKeys: Set<String> = scheduleSetKeys) throws -> Data {
        let tree = try WireCoding.decode(JSONValue.self, from: plain)
        return try WireCoding.encode(tree.sortingArrays(under: unorderedKeys, key: nil, parentKey: nil))
    }
}

/// Any JSON value, read back from `WireCoding` output.
private indirect enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// This value with the arrays named by `keys` sorted by their canonical bytes.
    func sortingArrays(under keys: Set<String>, key: String?, parentKey: String?) throws -> JSONValue {
        switch self {
        case .array(let elements):
            let children = try elements.map { try $0.sortingArrays(under: keys, key: nil, parentKey: nil) }
            let named = key.map(keys.contains) == true || (key == "_0" && parentKey.map(keys.contains) == true)
            guard named else { return .array(children) }
            let keyed = try children.map { (bytes: try WireCoding.encode($0), value: $0) }
            return .array(keyed.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.map(\.value))
        case .object(let members):
            var sorted: [String: JSONValue] = [:]
            for (name, value) in members {
                sorted[name] = try value.sortingArrays(under: keys, key: name, parentKey: key)
            }
            return .object(sorted)
        default:
            return self
        }
    }
}
