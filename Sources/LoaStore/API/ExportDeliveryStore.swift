public import Foundation

/// Which periods of the province's export were delivered, so that none is sent twice
/// and each is sent again until the province's system takes it.
public protocol ExportDeliveryStore: Sendable {
    /// The periods (e.g. `2026-12-04`) already delivered to `destination`.
    func deliveredExports(destination: String) async throws -> Set<String>
    /// Records `period` as delivered to `destination`, with the digest of what was sent;
    /// recording it again changes nothing.
    func recordExportDelivered(destination: String, period: String, digest: String, at now: Date) async throws
}
