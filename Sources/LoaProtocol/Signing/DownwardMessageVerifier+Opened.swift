#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension DownwardMessageVerifier {
    /// A downward message that passed every check; the receiver acts on `payload`.
    public struct Opened: Sendable, Equatable {
        /// The envelope as received.
        public var envelope: SignedEnvelope
        /// The topic it was signed for (and arrived on).
        public var topic: String
        /// Its message id.
        public var id: UUID
        /// Its version on the topic.
        public var version: Int
        /// When the controller issued it.
        public var issuedAt: Date
        /// When it expires.
        public var expiresAt: Date
        /// The exact bytes of the message (the envelope's `body`).
        public var payload: Data
        /// The key that signed it.
        public var signer: VerifierKey
        /// When the body was a `KeyAnnouncement`: the key the verifier now trusts.
        public var adoptedKey: VerifierKey?
    }
}
