public import Foundation

/// Each hamlet's (zone's) retained schedule document: its version only grows,
/// across restarts and across controllers.
public protocol ZoneDocumentStore: Sendable {
    /// Builds the next document of `zone` with `makeDocument(version, previous)` and
    /// stores it in place of the previous one, in one transaction, so versions only
    /// ever grow. `previous` is the document published before, if any. What the
    /// document lists is recorded as sent to `zone` (`DeviceReportStore.sentItems`).
    /// `makeDocument` returns the document, the signed envelope that is published
    /// (kept for receivers that fetch it over HTTP while their broker is away), and
    /// whatever else its caller needs from the build.
    func publishNextZoneDocument<Made: Sendable>(
        zone: String, at now: Date,
        _ makeDocument: @escaping @Sendable (_ version: Int, _ previous: Data?) throws -> (document: Data, sealed: Data?, made: Made)
    ) async throws -> (version: Int, document: Data, made: Made)
    /// The document last published for `zone` (its JSON), if any.
    func latestZoneDocument(zone: String) async throws -> Data?
    /// The signed envelope of the document last published for `zone`, as receivers verify it; nil before the first.
    func latestSealedZoneDocument(zone: String) async throws -> Data?
}
