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

/// A statement over many rows at once (`INSERT … VALUES (…), (…)`, `… IN (VALUES …)`):
/// one round trip for a batch instead of one per row. Each row binds `columns`
/// values; `rows` becomes `($n, …), ($m, …)` numbered after the leading binds.
struct MultiRowValues {
    let columns: Int
    private(set) var binds: PostgresBindings
    private let leading: Int
    private(set) var count = 0

    /// The most parameters this store binds in one statement (PostgreSQL allows 65,535).
    static let parameterLimit = 30_000

    /// The most rows one statement takes.
    static func rowsPerStatement(columns: Int) -> Int { max(1, parameterLimit / columns) }

    init(columns: Int, leading: PostgresBindings = PostgresBindings()) {
        self.columns = columns
        binds = leading
        self.leading = leading.count
    }

    /// Adds one row: `append` must bind exactly `columns` values.
    mutating func row(_ append: (inout PostgresBindings) throws -> Void) rethrows {
        try append(&binds)
        count += 1
        precondition(binds.count == leading + count * columns, "a row binds exactly \(columns) values")
    }

    /// The `(…), (…)` list of the rows' parameters.
    var rows: String { rows(casting: nil) }

    /// The `(…), (…)` list of the rows' parameters, each cast to its column's type
    /// (`$4::bytea`), for a `VALUES` list that is not inserted into a table (whose
    /// columns would give the types): a null has none of its own.
    func rows(casting types: [String]?) -> String {
        precondition(types.map { $0.count == columns } ?? true, "a type for each of the \(columns) columns")
        return (0..<count).map { (row: Int) -> String in
            let parameters = (0..<columns).map { (column: Int) -> String in
                let number = leading + row * columns + column + 1
                guard let types else { return "$\(number)" }
                return "$\(number)::\(types[column])"
            }
            return "(" + parameters.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}

/// Rows of one table to insert, each binding `columns` values (`bind(row, &binds)`):
/// given to a `LogAppender`, written in the statement that writes the log's rows.
struct RowsAlongside: Sendable {
    /// The table and its columns: `event (site, id, …)`.
    let into: String
    let columns: Int
    let count: Int
    let bind: @Sendable (_ row: Int, _ binds: inout PostgresBindings) throws -> Void

    /// The rows of `parts` (of one table, with the same columns) as one.
    static func joined(_ parts: [RowsAlongside]) -> RowsAlongside {
        let parts = parts.filter { $0.count > 0 }
        guard let first = parts.first else { return RowsAlongside(into: "", columns: 1, count: 0) { _, _ in } }
        guard parts.count > 1 else { return first }
        var starts: [Int] = []
        var total = 0
        for part in parts {
            precondition(part.into == first.into && part.columns == first.columns, "rows of one table")
            starts.append(total)
            total += part.count
        }
        return RowsAlongside(into: first.into, columns: first.columns, count: total) { [starts] row, binds in
            // The part holding `row`: the last that starts at or before it.
            var (low, high) = (0, starts.count - 1)
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= row { low = middle } else { high = middle - 1 }
            }
            try parts[low].bind(row - starts[low], &binds)
        }
    }

    /// Inserts the rows in statements of their own, as many rows per statement as fit.
    func insertAlone(on db: some PostgresQuerying, _ logger: Logger) async throws {
        let perStatement = MultiRowValues.rowsPerStatement(columns: columns)
        for start in stride(from: 0, to: count, by: perStatement) {
            var values = MultiRowValues(columns: columns)
            for index in start..<min(count, start + perStatement) { try values.row { try bind(index, &$0) } }
            try await db.run(PostgresQuery(unsafeSQL: "INSERT INTO \(into) VALUES \(values.rows)", binds: values.binds), logger)
        }
    }
}
