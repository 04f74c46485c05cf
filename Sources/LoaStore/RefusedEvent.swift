public import Foundation

/// An event a device sent that the controller refused: kept as evidence, outside
/// the transparency log, so an operator can see what a device claimed and why it
/// was not believed.
public struct RefusedEvent: Sendable, Equatable, Codable {
    /// The device on whose topic it came.
    public var device: String
    /// The event id when the message could be read as an event.
    public var eventID: String?
    /// Lowercase hex SHA-256 of the whole message: the same message is kept and counted once.
    public var digest: String
    public var receivedAt: Date
    /// What was wrong, as a short code (`EventRefusal` in the controller), e.g. `unknown-item`.
    public var reason: String
    /// The check that failed, naming the field and what would be right.
    public var detail: String
    /// The message's size in bytes.
    public var payloadBytes: Int
    /// Its start, as text (at most ``excerptBytes`` bytes); a U+0000 in it, which no stored
    /// text may hold, shown as U+FFFD (the digest and size stay those of the bytes).
    public var excerpt: String

    /// How much of a refused message is kept.
    public static let excerptBytes = 2048
    /// How many refused messages are kept per device; older ones are deleted (their counts stay).
    public static let keptPerDevice = 200

    public init(
        device: String, eventID: String?, digest: String, receivedAt: Date, reason: String, detail: String, payload: Data
    ) {
        self.device = device
        self.eventID = eventID
        self.digest = digest
        self.receivedAt = receivedAt
        self.reason = reason
        self.detail = detail
        payloadBytes = payload.count
        // Cut before a character's continuation bytes, so the excerpt stays within its size.
        var end = min(payload.count, Self.excerptBytes)
        while end < payload.count, end > 0, payload[payload.startIndex + end] & 0xC0 == 0x80 { end -= 1 }
        excerpt = String(String.UnicodeScalarView(
            String(decoding: payload.prefix(end), as: UTF8.self).unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }
}

/// How many of a device's events were refused for one reason, and the latest.
public struct DeviceRefusalCount: Sendable, Equatable, Codable {
    public var device: String
    public var reason: String
    public var count: Int
    public var lastAt: Date
    public var lastDetail: String

    public init(device: String, reason: String, count: Int, lastAt: Date, lastDetail: String) {
        self.device = device
        self.reason = reason
        self.count = count
        self.lastAt = lastAt
        self.lastDetail = lastDetail
    }
}
