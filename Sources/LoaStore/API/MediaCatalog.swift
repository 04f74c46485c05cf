public import Foundation
public import LoaDomain

/// The audio and notice attachments the controller holds, by SHA-256: the bytes
/// are in the media folder (`MediaStore`), their facts here.
public protocol MediaCatalog: Sendable {
    /// Records media the media folder holds; recording the same hash twice is harmless.
    func saveMedia(_ media: MediaReference, at now: Date) async throws
    /// The media with this SHA-256 (lowercase hex), if it was recorded.
    func media(sha256: String) async throws -> MediaReference?
    /// Keeps the levelling gain measured for recorded audio (`LoudnessNormalisation.levellingGain`).
    func saveLevellingGain(_ gainDb: Double, sha256: String) async throws
    /// The levelling gain measured for this audio, if it was measured.
    func levellingGain(sha256: String) async throws -> Double?
}
