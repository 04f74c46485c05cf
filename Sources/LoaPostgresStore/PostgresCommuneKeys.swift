public import Foundation
public import LoaStore
import Logging
import PostgresNIO

/// The keys of the commune `site` in its row of `commune_keys`. It works on the
/// database rather than on a `PostgresStore`, because the store signs with the keys
/// this reads: they are read first.
public struct PostgresCommuneKeys: CommuneKeyStore {
    /// The database.
    public let database: PostgresDatabase
    /// The commune.
    public let site: String

    public init(database: PostgresDatabase, site: String) {
        self.database = database
        self.site = site
    }

    public func communeKeys() async throws -> StoredCommuneKeys? {
        try await database.client.rows(
            "SELECT history, sealed, revision FROM commune_keys WHERE site = \(site)", database.logger
        ).first.map(Self.keys(in:))
    }

    public func createCommuneKeys(history: Data, sealed: Data, at now: Date) async throws -> StoredCommuneKeys {
        // One statement: on a conflict the row another controller stored comes back unchanged.
        let row = try await database.client.rows(
            """
            INSERT INTO commune_keys AS k (site, history, sealed, revision, changed_at) VALUES (\(site), \(history), \(sealed), 1, \(now))
            ON CONFLICT (site) DO UPDATE SET revision = k.revision
            RETURNING history, sealed, revision
            """, database.logger)
        return try Self.keys(in: row[0])
    }

    public func replaceCommuneKeys(history: Data, sealed: Data, replacing revision: Int64, at now: Date) async throws -> Bool {
        try await database.client.changed(
            """
            UPDATE commune_keys SET history = \(history), sealed = \(sealed), revision = revision + 1, changed_at = \(now)
            WHERE site = \(site) AND revision = \(revision) RETURNING 1
            """, database.logger)
    }

    private static func keys(in row: PostgresRandomAccessRow) throws -> StoredCommuneKeys {
        StoredCommuneKeys(history: try row.value("history"), sealed: try row.value("sealed"), revision: try row.value("revision"))
    }
}
