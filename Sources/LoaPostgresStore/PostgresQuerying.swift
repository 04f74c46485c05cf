import Foundation
import Logging
import PostgresNIO

/// Where a query runs: the pool (`PostgresClient`) or one connection inside a transaction.
protocol PostgresQuerying: Sendable {
    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger, file: String, line: Int) async throws -> PostgresRowSequence
}

extension PostgresConnection: PostgresQuerying {}

extension PostgresClient: PostgresQuerying {
    func query(_ query: PostgresQuery, logger: Logger, file: String, line: Int) async throws -> PostgresRowSequence {
        try await self.query(query, logger: Optional(logger), file: file, line: line)
    }
}

extension PostgresQuerying {
    /// Every row `query` returns, for reading columns by name.
    func rows(_ query: PostgresQuery, _ logger: Logger, file: String = #fileID, line: Int = #line) async throws
        -> [PostgresRandomAccessRow]
    {
        try await self.query(query, logger: logger, file: file, line: line).collect().map { $0.makeRandomAccess() }
    }

    /// Runs a statement whose rows, if any, are of no interest.
    func run(_ query: PostgresQuery, _ logger: Logger, file: String = #fileID, line: Int = #line) async throws {
        _ = try await self.query(query, logger: logger, file: file, line: line).collect()
    }

    /// True when `query` (an `INSERT … ON CONFLICT DO NOTHING RETURNING 1`) returned a row: it changed something.
    func changed(_ query: PostgresQuery, _ logger: Logger, file: String = #fileID, line: Int = #line) async throws -> Bool {
        try await !rows(query, logger, file: file, line: line).isEmpty
    }
}

extension PostgresRandomAccessRow {
    /// The value of `column`, decoded (an optional type for a nullable column).
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

extension PostgresClient {
    /// Runs `body` in one transaction on a connection of the pool: committed when it
    /// returns, rolled back when it throws. The store's own errors (a refused approval,
    /// a taken user name) come out as they were thrown, not wrapped, once the rollback went through.
    func transaction<T: Sendable>(_ logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if error.beginError == nil, error.rollbackError == nil, let thrown = error.closureError { throw thrown }
            throw error
        }
    }
}

extension PostgresStore.Connection {
    /// Runs `body` with a client of its own on this connection (for work outside an
    /// open store: creating a database, an audit), closed when `body` returns.
    func withClient<T: Sendable>(logger: Logger, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: try clientConfiguration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

/// Rows of one table to insert (`bind(row, &columns)` binds one row): given to a
/// `LogAppender`, written in the statement that writes the log's rows.
struct RowsAlongside: Sendable {
    /// The table and its columns: `event (site, id, …)`.
    let into: String
    let types: [ColumnArrays.ColumnType]
    let count: Int
    let bind: @Sendable (_ row: Int, _ columns: inout ColumnArrays) throws -> Void

    /// Adds every row to `columns` (of this table's types).
    func add(to columns: inout ColumnArrays) throws {
        for index in 0..<count { try columns.row { try bind(index, &$0) } }
    }
}
