#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import LoaDomain

/// The fingerprint of a programme's content, against which approvals are
/// recorded: a programme whose digest did not change between two schedule
/// versions keeps its approvals; any change (title, audio, times, hamlets, …)
/// asks for approval again.
public enum ProgrammeDigest {
    /// Lowercase hex SHA-256 of the programme's canonical JSON (`CanonicalJSON`).
    public static func of(_ programme: Programme) -> String { ContentDigest.of(programme) }
}

/// The digest approvals hold for, of any part of a schedule (programmes, notices).
enum ContentDigest {
    /// Lowercase hex SHA-256 of `value`'s canonical JSON (`CanonicalJSON`).
    ///
    /// The same programmes are digested again and again (each approval status, each
    /// apply and approval of a version, each commune a province emergency reaches), and
    /// the canonical form takes three passes of JSON: digests are kept by the value's
    /// plain encoding, of which the canonical bytes are a function (one pass instead of
    /// three and a hash).
    static func of(_ value: some Encodable) -> String {
        guard let plain = try? WireCoding.encode(value),
            let digest = known.value(for: plain, make: { (try? CanonicalJSON.canonical(plain: plain)).map(MediaDigest.sha256) })
        else {
            // Not reachable for the model's plain values; should it happen, a digest
            // that matches no approval keeps the content off the air and off the boards.
            return "unencodable-" + UUID().uuidString.lowercased()
        }
        return digest
    }

    /// Digests by plain encoding.
    private static let known = BoundedMemo<Data, String>(capacity: 1024)
}
