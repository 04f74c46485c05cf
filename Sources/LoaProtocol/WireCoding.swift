public import Foundation

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

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the document" : "field \(path.hasPrefix(".") ? String(path.dropFirst()) : path)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
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
