#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The JSON that travels on every controller → receiver topic (docs/security.md,
/// "Signed downward messages"):
///
/// ```json
/// {"body":"{\"format\":1,…}","expiresAt":"2026-11-26T10:00:00.000Z","format":1,
///  "id":"3F2504E0-4F89-41D3-9A0C-0305E82C3301","issuedAt":"2026-11-24T10:00:00.000Z",
///  "keyID":"c74f20a3","signature":"base64…","topic":"loa/v1/xa-ha-binh/zone/thon-dong/schedule",
///  "version":7}
/// ```
///
/// The Ed25519 signature covers `signedBytes`, a few lines built from the field
/// texts exactly as they appear in the envelope followed by the body's UTF-8
/// bytes, so verification never re-serialises JSON:
///
/// ```
/// loa-downward-message/v1\n
/// <topic>\n<id>\n<version in decimal>\n<issuedAt>\n<expiresAt>\n
/// <body bytes>
/// ```
public struct SignedEnvelope: Codable, Sendable, Equatable {
    /// The envelope format; 1.
    public var format: Int
    /// The MQTT topic the message was signed for.
    public var topic: String
    /// A UUID unique to this message (replay detection).
    public var id: String
    /// Grows with every message on the topic (rollback detection).
    public var version: Int
    /// When the controller signed it, as RFC 3339 text.
    public var issuedAt: String
    /// After this instant the message must not be acted on, as RFC 3339 text.
    public var expiresAt: String
    /// Hex of the 4-byte C2SP signed-note key id of the signing key; nil when unsigned.
    public var keyID: String?
    /// Base64 of the 64-byte Ed25519 signature over `signedBytes`; nil when unsigned.
    public var signature: String?
    /// The message itself: the exact JSON text of the payload (for example a schedule document).
    public var body: String

    /// The domain-separation line that starts the signed bytes.
    public static let context = "loa-downward-message/v1"

    /// The envelope format this code writes and reads.
    public static let currentFormat = 1

    /// Makes an envelope (unsigned until `keyID` and `signature` are set).
    public init(
        topic: String, id: String, version: Int, issuedAt: String, expiresAt: String,
        keyID: String? = nil, signature: String? = nil, body: String
    ) {
        self.format = Self.currentFormat
        self.topic = topic
        self.id = id
        self.version = version
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.keyID = keyID
        self.signature = signature
        self.body = body
    }

    /// The bytes the signature covers; nil when a header field holds a line
    /// break, which would make the layout ambiguous.
    public var signedBytes: Data? {
        var bytes = Data()
        bytes.reserveCapacity(Self.context.utf8.count + topic.utf8.count + issuedAt.utf8.count * 2 + body.utf8.count + 80)
        bytes.append(contentsOf: Self.context.utf8)
        bytes.append(0x0A)
        for field in [topic, id, String(version), issuedAt, expiresAt] {
            guard !field.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
            bytes.append(contentsOf: field.utf8)
            bytes.append(0x0A)
        }
        bytes.append(contentsOf: body.utf8)
        return bytes
    }

    /// The envelope's JSON, as `WireCoding` writes it (keys sorted, no spacing, an absent
    /// key id or signature left out), written directly: every downward message is one.
    public var json: Data {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(body.utf8.count + topic.utf8.count + 300)
        func field(_ key: String, _ value: String?, quoted: Bool = true) {
            guard let value else { return }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONString.appendKey(key, to: &out)
            if quoted { JSONString.appendQuoted(value, to: &out) } else { out += Array(value.utf8) }
        }
        field("body", body)
        field("expiresAt", expiresAt)
        field("format", String(format), quoted: false)
        field("id", id)
        field("issuedAt", issuedAt)
        field("keyID", keyID)
        field("signature", signature)
        field("topic", topic)
        field("version", String(version), quoted: false)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }
}
