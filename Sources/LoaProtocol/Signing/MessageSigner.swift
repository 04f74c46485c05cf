#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Seals downward messages in a `SignedEnvelope` with the controller's key.
public struct MessageSigner: Sendable {
    /// The controller key that signs.
    public let key: SigningKey

    /// Wraps the controller's signing key.
    public init(key: SigningKey) { self.key = key }

    /// Signs `payload` for `topic` and returns the envelope's JSON, ready to publish.
    /// - Parameters:
    ///   - payload: the message's JSON text (UTF-8).
    ///   - topic: the exact MQTT topic it will be published on.
    ///   - version: greater than every earlier version on this topic.
    ///   - issuedAt: now.
    ///   - expiresAt: after this the receivers refuse it; a retained document must be re-sealed before then.
    ///   - id: a fresh random UUID unless the caller tracks its own.
    /// - Throws: `SigningError.invalid` for a payload that is not UTF-8, a topic with a
    ///   line break or wildcard, a negative version or an expiry not after the issue time.
    public func seal(
        payload: Data, topic: String, version: Int, issuedAt: Date, expiresAt: Date, id: UUID = .random()
    ) throws -> Data {
        guard let body = String(data: payload, encoding: .utf8) else { throw SigningError.invalid("the payload is not UTF-8") }
        guard !topic.isEmpty, !topic.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }) else {
            throw SigningError.invalid("'\(topic)' is not a topic a message can be signed for")
        }
        guard version >= 0 else { throw SigningError.invalid("version \(version) is negative") }
        guard expiresAt > issuedAt else { throw SigningError.invalid("the message expires before it is issued") }
        var envelope = SignedEnvelope(
            topic: topic, id: id.uuidString.lowercased(), version: version,
            issuedAt: WireCoding.format(issuedAt), expiresAt: WireCoding.format(expiresAt), body: body)
        guard let signed = envelope.signedBytes else { throw SigningError.invalid("a header field holds a line break") }
        envelope.keyID = key.verifier.keyID.hexString
        envelope.signature = try key.signature(for: signed).base64EncodedString()
        return envelope.json
    }

    /// Seals a `KeyAnnouncement` of `newKey` under this signer's (trusted) key.
    public func announce(
        _ newKey: VerifierKey, validFrom: Date, retiring: [VerifierKey] = [],
        topic: String, version: Int, issuedAt: Date, expiresAt: Date
    ) throws -> Data {
        let announcement = KeyAnnouncement(key: newKey, validFrom: validFrom, retiring: retiring)
        return try seal(
            payload: try WireCoding.encode(announcement), topic: topic, version: version,
            issuedAt: issuedAt, expiresAt: expiresAt)
    }
}

/// A message the signer cannot seal.
public enum SigningError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let reason): "cannot sign the message: \(reason)"
        }
    }
}

extension Data {
    /// Lowercase hex, two digits a byte.
    var hexString: String { MediaDigest.hex(self) }
}
