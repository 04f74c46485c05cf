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

    /// Read together with the other communes' reads of this process (one statement).
    public func communeRecord(_ name: CommuneRecord) async throws -> StoredCommuneRecord? {
        try await database.communeRecordReads.submit(Read(site: site, name: name.rawValue)) { [database] reads in
            try await Self.read(reads, database)
        }
    }

    /// One commune's record asked for.
    struct Read: Sendable, Hashable {
        var site: String
        var name: String
    }

    /// The records `reads` ask for, in order (nil where there is none): one statement.
    static func read(_ reads: [Read], _ database: PostgresDatabase) async throws -> [StoredCommuneRecord?] {
        var keys = ColumnArrays([.text, .text])
        for read in reads {
            try keys.row {
                try $0.append(read.site)
                try $0.append(read.name)
            }
        }
        var binds = PostgresBindings()
        let sql = """
            SELECT r.site, r.name, r.body, r.revision FROM \(keys.unnest(binding: &binds)) AS k (site, name)
            JOIN commune_record r ON r.site = k.site AND r.name = k.name
            """
        var found: [Read: StoredCommuneRecord] = [:]
        for row in try await database.client.rows(PostgresQuery(unsafeSQL: sql, binds: binds), database.logger) {
            found[Read(site: try row.value("site"), name: try row.value("name"))] = try record(in: row)
        }
        return reads.map { found[$0] }
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
