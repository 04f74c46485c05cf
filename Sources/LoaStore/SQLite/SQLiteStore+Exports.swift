public import Foundation
import GRDB

extension SQLiteStore {
    public func deliveredExports(destination: String) async throws -> Set<String> {
        try await database.read { db in
            Set(try String.fetchAll(db, sql: "SELECT period FROM exportDelivery WHERE destination = ?", arguments: [destination]))
        }
    }

    public func recordExportDelivered(destination: String, period: String, digest: String, at now: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO exportDelivery (destination, period, digest, deliveredAt) VALUES (?, ?, ?, ?)",
                arguments: [destination, period, digest, now])
        }
    }
}
