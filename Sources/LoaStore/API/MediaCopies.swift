public import Foundation

/// Media bytes kept in the shared database (PostgreSQL), for controllers that do not
/// share a media folder: audio an officer uploads to one controller is fetched by
/// receivers from another, which takes the bytes from here into its own folder the
/// first time one is asked for. Content-addressed and shared by the communes of the
/// database; who may fetch what stays with each commune's `MediaCatalog`.
public protocol MediaCopies: Sendable {
    /// Keeps `data`, whose SHA-256 is `sha256`; keeping the same bytes twice is harmless.
    func keepCopy(_ data: Data, sha256: String) async throws
    /// The bytes kept under `sha256`, if any.
    func copy(sha256: String) async throws -> Data?
    /// Those of `sha256s` the database keeps no bytes of.
    func withoutCopy(_ sha256s: [String]) async throws -> [String]
}
