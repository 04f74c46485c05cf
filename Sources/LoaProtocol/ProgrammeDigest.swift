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
    static func of(_ value: some Encodable) -> String {
        guard let bytes = try? CanonicalJSON.encode(value) else {
            // Not reachable for the model's plain values; should it happen, a digest
            // that matches no approval keeps the content off the air and off the boards.
            return "unencodable-" + UUID().uuidString.lowercased()
        }
        return MediaDigest.sha256(bytes)
    }
}
