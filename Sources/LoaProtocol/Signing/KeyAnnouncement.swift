#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Key rotation: the body of a downward message that introduces a new controller
/// key. It is only believed when it arrives in an envelope signed by a key the
/// receiver already trusts; the receiver then trusts `key` from `validFrom`, and
/// stops trusting each `retiring` key from the same instant.
///
/// ```json
/// {"kind":"key-announcement","key":"loa.xa-ha-binh+…+…","retiring":["loa.xa-ha-binh+…+…"],
///  "validFrom":"2026-12-01T00:00:00.000Z"}
/// ```
public struct KeyAnnouncement: Codable, Sendable, Equatable {
    /// Always `key-announcement`; tells this body apart from other downward messages.
    public var kind: String
    /// The new verifier key in its signed-note text form (`name+keyid+base64`).
    public var key: String
    /// From this instant messages signed by the new key are accepted.
    public var validFrom: Date
    /// Verifier key texts that stop being trusted at `validFrom` (the key being replaced).
    public var retiring: [String]

    /// The `kind` value of a key announcement.
    public static let kindValue = "key-announcement"

    /// Announces `key`, optionally retiring others.
    public init(key: VerifierKey, validFrom: Date, retiring: [VerifierKey] = []) {
        self.kind = Self.kindValue
        self.key = key.text
        self.validFrom = validFrom
        self.retiring = retiring.map(\.text)
    }

    /// The announcement in `body`, or nil when the body is some other message.
    /// - Throws: `WireError.malformed` when the body says it is an announcement but is not a valid one.
    public static func parse(body: String) throws -> KeyAnnouncement? {
        struct Kind: Decodable { var kind: String? }
        let data = Data(body.utf8)
        guard (try? JSONDecoder().decode(Kind.self, from: data))?.kind == kindValue else { return nil }
        let announcement = try WireCoding.decode(KeyAnnouncement.self, from: data)
        do {
            _ = try VerifierKey(text: announcement.key)
            for text in announcement.retiring { _ = try VerifierKey(text: text) }
        } catch {
            throw WireError.malformed(type: "KeyAnnouncement", detail: "\(error)")
        }
        return announcement
    }
}
