#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// JSON as it travels on the wire: UTF-8, sorted keys, instants as RFC 3339 UTC
/// with milliseconds (`2026-11-24T10:00:00.000Z`).
public enum WireCoding {
    /// Encodes a message for publishing.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return try encoder.encode(value)
    }

    /// Decodes a received message.
    /// - Throws: `WireError.malformed` naming the message type and the field at fault.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an RFC 3339 instant like 2026-11-24T10:00:00.000Z")
            }
            return date
        }
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw WireError.malformed(type: String(describing: type), detail: describe(error))
        }
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Formats an instant the way the wire carries it.
    public static func format(_ date: Date) -> String { withFraction.format(date) }

    /// Parses an RFC 3339 instant with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }

    /// What a decoding error means for the one who sent the message: the field, and
    /// what it should be, Vietnamese first; no type names of the code.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return "Thiếu trường \(field) (missing field \(field))"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            guard !field.isEmpty else { return "Nội dung phải là \(kind(of: type)) (the document must be \(kind(of: type)))" }
            return "Trường \(field) phải là \(kind(of: type)) (field \(field) must be \(kind(of: type)))"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            guard !field.isEmpty else { return "Nội dung không phải JSON hợp lệ (the document is not valid JSON)" }
            return "Giá trị của trường \(field) không dùng được (field \(field) has a value that cannot be used: \(context.debugDescription))"
        @unknown default:
            return "Nội dung không đọc được (the document cannot be read)"
        }
    }

    /// A JSON kind in words, for the type the code expected.
    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type, is Int64.Type, is UInt64.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object or a value of the documented kind"
        }
    }
}

/// A message that does not follow the wire contract.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case malformed(type: String, detail: String)

    public var description: String {
        switch self {
        case .malformed(let type, let detail): "malformed \(type) message: \(detail)"
        }
    }
}
