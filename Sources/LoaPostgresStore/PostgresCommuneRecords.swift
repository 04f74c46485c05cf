public import Foundation
public import LoaStore
import Logging
import PostgresNIO

/// The records of the commune `site` in `commune_record`. It works on the database
/// rather than on a `PostgresStore`, because the store signs with the keys read
/// from here: they are read before it opens.
public struct PostgresCommuneRecords: CommuneRecordStore {
    /// The database.
    public let database: PostgresDatabase
    /// The commune.
    public let site: String

    public init(database: PostgresDatabase, site: String) {
        self.database = database
        self.site = site
    }

    public func communeRecord(_ name: CommuneRecord) async throws -> StoredCommuneRecord? {
        try await database.client.rows(
            "SELECT body, revision FROM commune_record WHERE site = \(site) AND name = \(name.rawValue)", database.logger
        ).first.map(Self.record(in:))
    }

    public func createCommuneRecord(_ name: CommuneRecord, body: Data, at now: Date) async throws -> StoredCommuneRecord {
        // One statement: on a conflict the row someone else stored comes back unchanged.
        let rows = try await database.client.rows(
            """
            INSERT INTO commune_record AS r (site, name, body, revision, changed_at) VALUES (\(site), \(name.rawValue), \(body), 1, \(now))
            ON CONFLICT (site, name) DO UPDATE SET revision = r.revision
            RETURNING body, revision
            """, database.logger)
        return try Self.record(in: rows[0])
    }

    public func replaceCommuneRecord(_ name: CommuneRecord, body: Data, replacing revision: Int64, at now: Date) async throws -> Bool {
        try await database.client.changed(
            """
            UPDATE commune_record SET body = \(body), revision = revision + 1, changed_at = \(now)
            WHERE site = \(site) AND name = \(name.rawValue) AND revision = \(revision) RETURNING 1
            """, database.logger)
    }

    private static func record(in row: PostgresRandomAccessRow) throws -> StoredCommuneRecord {
        StoredCommuneRecord(body: try row.value("body"), revision: try row.value("revision"))
    }
}
