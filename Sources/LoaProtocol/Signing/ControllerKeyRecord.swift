#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One controller key in the public history of keys (`GET /log/keys`,
/// `keys.json` in the controller's data folder): auditors verify checkpoints
/// signed before and after a rotation with these, and each later key's
/// `announcement` is signed by the key before it, so the chain starts at the
/// first key they were given.
///
/// ```json
/// {"key":"loa.xa-binh-giang+1a2b3c4d+AR…","validFrom":"2026-12-01T00:00:00.000Z",
///  "retiredAt":null,"announcement":"{\"format\":1,…}"}
/// ```
public struct ControllerKeyRecord: Codable, Sendable, Equatable {
    /// The verifier key text (`name+keyid+base64`).
    public var key: String
    /// When it started signing; nil for the controller's first key.
    public var validFrom: Date?
    /// When it stopped signing; nil while it signs (or will sign).
    public var retiredAt: Date?
    /// The `KeyAnnouncement` envelope (JSON text) that introduced it, signed by the key before; nil for the first key.
    public var announcement: String?

    /// A record of `key`.
    public init(key: VerifierKey, validFrom: Date? = nil, retiredAt: Date? = nil, announcement: String? = nil) {
        self.key = key.text
        self.validFrom = validFrom
        self.retiredAt = retiredAt
        self.announcement = announcement
    }

    /// The parsed key.
    /// - Throws: `SigningKeyError.badVerifierKey` when the text is damaged.
    public func verifierKey() throws -> VerifierKey { try VerifierKey(text: key) }
}
