import Foundation
import LoaHarness
@testable import LoaPostgresStore
import PostgresNIO
import Testing

/// Rows bound as one array per column (`ColumnArrays`) and read back by `unnest`: what
/// every batch of events, log rows, hamlet documents and sent items is written with.
@Suite("Rows as column arrays (PostgreSQL)")
struct ColumnArraysTests {
    @Test("every column type comes back as bound, nulls, Vietnamese text and NUL bytes in bytea included; no rows insert nothing")
    func roundTrip() async throws {
        let connection = try await SharedPostgres.freshDatabase()
        let database = try await PostgresDatabase(connection: connection, maximumConnections: 2)
        let client = database.client
        try await client.run(
            "CREATE TABLE sample (name text, number int8, ratio float8, flag bool, bytes bytea, at timestamptz)", database.logger)
        let at = Date(timeIntervalSince1970: 1_796_436_000.123456)
        let rows: [(String?, Int64?, Double?, Bool?, Data?, Date?)] = [
            ("Thôn Đông — loa số 3", 42, -0.5, true, Data([0, 1, 0, 255]), at),
            (nil, nil, nil, nil, nil, nil),
            ("", Int64.min, .greatestFiniteMagnitude, false, Data(), Date(timeIntervalSince1970: 0)),
        ]
        var columns = ColumnArrays([.text, .int8, .float8, .bool, .bytea, .timestamptz])
        for row in rows {
            try columns.row {
                try $0.append(row.0)
                try $0.append(row.1)
                try $0.append(row.2)
                try $0.append(row.3)
                try $0.append(row.4)
                try $0.append(row.5)
            }
        }
        var binds = PostgresBindings()
        let sql = "INSERT INTO sample SELECT * FROM \(columns.unnest(binding: &binds))"
        try await client.run(PostgresQuery(unsafeSQL: sql, binds: binds), database.logger)

        let stored = try await client.rows("SELECT * FROM sample ORDER BY number NULLS LAST", database.logger)
        #expect(stored.count == 3)
        let read = try stored.map { row in
            (try row.value("name", as: String?.self), try row.value("number", as: Int64?.self), try row.value("ratio", as: Double?.self),
             try row.value("flag", as: Bool?.self), try row.value("bytes", as: Data?.self), try row.value("at", as: Date?.self))
        }
        for (got, want) in zip(read, [rows[2], rows[0], rows[1]]) {
            #expect(got.0 == want.0)
            #expect(got.1 == want.1)
            #expect(got.2 == want.2)
            #expect(got.3 == want.3)
            #expect(got.4 == want.4)
            #expect(got.5.map { ($0.timeIntervalSince1970 * 1_000_000).rounded() } == want.5.map { ($0.timeIntervalSince1970 * 1_000_000).rounded() })
        }

        let none = ColumnArrays([.text, .int8, .float8, .bool, .bytea, .timestamptz])
        #expect(none.count == 0)
        var noBinds = PostgresBindings()
        try await client.run(
            PostgresQuery(unsafeSQL: "INSERT INTO sample SELECT * FROM \(none.unnest(binding: &noBinds))", binds: noBinds), database.logger)
        #expect(try await client.rows("SELECT count(*) AS n FROM sample", database.logger).first?.value("n", as: Int64.self) == 3)
        await database.close()
    }
}
