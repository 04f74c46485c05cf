public import Foundation

/// Each hamlet's (zone's) retained schedule document: its version only grows,
/// across restarts and across controllers.
public protocol ZoneDocumentStore: Sendable {
    /// Builds the next document of each of `zones` with `makeDocument(zone, version,
    /// previous)` and stores it in place of the previous one, all in one transaction, so
    /// versions only ever grow. `previous` is the document published before, if any.
    /// What each document lists is recorded as sent to its zone
    /// (`DeviceReportStore.sentItems`). `makeDocument` returns the document, the signed
    /// envelope that is published (kept for receivers that fetch it over HTTP while
    /// their broker is away), and whatever else its caller needs from the build.
    /// - Returns: by zone, what was published, or why `makeDocument` could not make it
    ///   (that zone keeps its previous document; the others are published).
    func publishNextZoneDocuments<Made: Sendable>(
        zones: [String], at now: Date,
        _ makeDocument: @escaping @Sendable (_ zone: String, _ version: Int, _ previous: Data?) throws
            -> (document: Data, sealed: Data?, made: Made)
    ) async throws -> [String: Result<PublishedZoneDocument<Made>, any Error>]
    /// The document last published for `zone` (its JSON), if any.
    func latestZoneDocument(zone: String) async throws -> Data?
    /// The signed envelope of the document last published for `zone`, as receivers verify it; nil before the first.
    func latestSealedZoneDocument(zone: String) async throws -> Data?
}

/// A zone's document as stored by `ZoneDocumentStore.publishNextZoneDocuments`.
public struct PublishedZoneDocument<Made: Sendable>: Sendable {
    public var version: Int
    public var document: Data
    /// What the builder returned beside the document.
    public var made: Made

    public init(version: Int, document: Data, made: Made) {
        self.version = version
        self.document = document
        self.made = made
    }
}

extension ZoneDocumentStore {
    /// Builds and stores the next document of one zone (`publishNextZoneDocuments`).
    public func publishNextZoneDocument<Made: Sendable>(
        zone: String, at now: Date,
        _ makeDocument: @escaping @Sendable (_ version: Int, _ previous: Data?) throws -> (document: Data, sealed: Data?, made: Made)
    ) async throws -> (version: Int, document: Data, made: Made) {
        let published = try await publishNextZoneDocuments(zones: [zone], at: now) { _, version, previous in
            try makeDocument(version, previous)
        }
        guard let result = published[zone] else { preconditionFailure("publishNextZoneDocuments answers for every zone") }
        let document = try result.get()
        return (document.version, document.document, document.made)
    }
}
