extension DownwardMessageVerifier {
    /// Why a downward message was not acted on.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The class of the refusal, for counting.
        public var reason: Reason
        /// Details for the log.
        public var detail: String

        /// A refusal for `reason`.
        public init(_ reason: Reason, _ detail: String) {
            self.reason = reason
            self.detail = detail
        }

        /// True for a copy of the message last accepted on the topic: normal
        /// (QoS 1 redelivery, retained message after a reconnect), not an attack.
        public var isDuplicate: Bool { reason == .duplicate }

        public var description: String { "refused (\(reason.rawValue)): \(detail)" }

        /// The refusal classes, in the order the checks run.
        public enum Reason: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Hashable {
            /// Larger than the verifier's size limit; not parsed at all.
            case oversized
            /// Not JSON, truncated, or an envelope with a missing or invalid field.
            case malformed
            /// JSON without a signature (for example a bare schedule document).
            case unsigned
            /// Signed by a key the receiver does not trust (now).
            case unknownKey
            /// The signature does not verify: forged or altered.
            case badSignature
            /// Validly signed, but for another topic than the one it arrived on.
            case wrongTopic
            /// The same message as the last one accepted on this topic: acted on once already.
            case duplicate
            /// A message accepted before (not the latest on its topic) sent again.
            case replayed
            /// Past its expiry time.
            case expired
            /// Issued later than now plus the allowed clock skew.
            case issuedInFuture
            /// A version not greater than the last applied on this topic.
            case rolledBack
        }
    }
}
