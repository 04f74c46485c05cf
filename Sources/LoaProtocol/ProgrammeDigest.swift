public import Foundation
public import LoaDomain

/// The fingerprint of a programme's content, against which approvals are
/// recorded: a programme whose digest did not change between two schedule
/// versions keeps its approvals; any change (title, audio, times, hamlets, …)
/// asks for approval again.
public enum ProgrammeDigest {
    /// Lowercase hex SHA-256 of the programme's canonical JSON (`CanonicalJSON`).
    public static func of(_ programme: Programme) -> String {
        guard let bytes = try? CanonicalJSON.encode(programme) else {
            // Not reachable for the model's plain values; should it happen, a digest
            // that matches no approval keeps the programme off the air.
            return "unencodable-" + UUID().uuidString.lowercased()
        }
        return MediaDigest.sha256(bytes)
    }
}
