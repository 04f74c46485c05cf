public import LoaDomain

/// An announcement just stored, and whether the broker has taken its hamlets' documents.
public struct SentAnnouncement: Sendable, Encodable {
    /// Where its documents are.
    public enum Delivery: String, Sendable, Codable {
        /// The broker has taken every hamlet's document; receivers online have it.
        case published
        /// Stored, but the broker did not take the documents in time (it is down or
        /// slow): they go out when it does, and the periodic refresh republishes.
        case pending
    }

    public var announcement: Announcement
    public var delivery: Delivery

    /// The announcement's fields with `delivery` beside them (`POST /api/v1/announcements`).
    public func encode(to encoder: any Encoder) throws {
        try announcement.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(delivery, forKey: .delivery)
    }

    private enum Key: String, CodingKey { case delivery }
}
