public import Foundation
import LoaStore
import PostgresNIO

extension PostgresStore {
    public func deliveredExports(destination: String) async throws -> Set<String> {
        Set(try await client.rows(
            "SELECT period FROM export_delivery WHERE site = \(site) AND destination = \(destination)", logger
        ).map { try $0.value("period", as: String.self) })
    }

    public func recordExportDelivered(destination: String, period: String, digest: String, at now: Date) async throws {
        try await client.run(
            """
            INSERT INTO export_delivery (site, destination, period, digest, delivered_at)
            VALUES (\(site), \(destination), \(period), \(digest), \(now)) ON CONFLICT DO NOTHING
            """, logger)
    }
}
