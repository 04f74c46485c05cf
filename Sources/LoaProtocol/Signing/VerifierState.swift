#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What a receiver's `DownwardMessageVerifier` remembers; Codable so the
/// receiver can store it durably and restore it after a restart (the rollback
/// and replay checks are only as good as this memory).
public struct VerifierState: Codable, Sendable, Equatable {
    /// The keys messages may be signed by, with their validity.
    public var trustedKeys: [TrustedKey]
    /// Per topic: the last accepted version and message id.
    public var topics: [String: TopicRecord]
    /// Ids of accepted messages that have not expired yet, oldest first (bounded).
    public var recentMessages: [SeenMessage]
    /// How many messages were refused, by reason (duplicates included).
    public var refusalCounts: [DownwardMessageVerifier.Refusal.Reason: Int]

    /// A state that trusts `keys` and has seen nothing.
    public init(trusting keys: [VerifierKey] = []) {
        trustedKeys = keys.map { TrustedKey(key: $0) }
        topics = [:]
        recentMessages = []
        refusalCounts = [:]
    }

    /// A controller key the receiver trusts, in signed-note text form.
    public struct TrustedKey: Codable, Sendable, Equatable {
        /// `name+keyid+base64`, as `VerifierKey.text`.
        public var text: String
        /// Messages are accepted from this instant (nil: always).
        public var validFrom: Date?
        /// Messages are refused from this instant (nil: never); set when an announcement retires the key.
        public var retiredAt: Date?

        /// Trusts `key` from `validFrom` (nil: at once).
        public init(key: VerifierKey, validFrom: Date? = nil, retiredAt: Date? = nil) {
            text = key.text
            self.validFrom = validFrom
            self.retiredAt = retiredAt
        }

        /// The parsed key; nil if the stored text was damaged.
        public var key: VerifierKey? { try? VerifierKey(text: text) }

        /// True when messages signed by this key are accepted at `now`, the
        /// validity widened by `tolerance` at both ends: during a rotation the old
        /// and the new key overlap by twice the clock skew, so a receiver whose
        /// clock is a little off takes the new key's first messages and the old
        /// key's last ones.
        public func isValid(at now: Date, tolerance: TimeInterval = 0) -> Bool {
            if let validFrom, now < validFrom.addingTimeInterval(-tolerance) { return false }
            if let retiredAt, now >= retiredAt.addingTimeInterval(tolerance) { return false }
            return true
        }
    }

    /// The last message accepted on one topic.
    public struct TopicRecord: Codable, Sendable, Equatable {
        /// Its version: later messages must have a greater one.
        public var version: Int
        /// Its id: a copy of it is a duplicate, not an attack.
        public var id: UUID

        /// Records an accepted message.
        public init(version: Int, id: UUID) {
            self.version = version
            self.id = id
        }
    }

    /// An accepted message id, kept until the message expires.
    public struct SeenMessage: Codable, Sendable, Equatable {
        /// The message id.
        public var id: UUID
        /// When it expires; after that a replay is refused as expired anyway.
        public var expiresAt: Date

        /// Remembers an accepted id until `expiresAt`.
        public init(id: UUID, expiresAt: Date) {
            self.id = id
            self.expiresAt = expiresAt
        }
    }
}
