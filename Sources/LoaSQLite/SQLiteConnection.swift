import CSQLite

/// One SQLite database file opened by one owner, through SQLite's C API (the library
/// every Debian system has): statements run with bound values, transactions that roll
/// back on error. Not for sharing between threads: keep it behind a lock.
///
/// What a receiver needs for its outbox, without GRDB (docs/receiver-devices.md).
public final class SQLiteConnection {
    private let handle: OpaquePointer
    public let path: String

    /// Opens (or creates) the database at `path`.
    /// - Throws: ``SQLiteError`` naming the file.
    public init(path: String) throws(SQLiteError) {
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened else {
            let reason = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close(opened)
            throw SQLiteError(path: path, sql: nil, reason: reason)
        }
        handle = opened
        self.path = path
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit { sqlite3_close(handle) }

    /// Runs `sql` (one or more statements without values).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let reason = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw SQLiteError(path: path, sql: sql, reason: reason)
        }
    }

    /// Runs one statement with `values` bound in order, and returns its rows.
    @discardableResult
    public func rows(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else {
            throw SQLiteError(path: path, sql: sql, reason: lastError)
        }
        defer { sqlite3_finalize(statement) }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32 = switch value {
            case .null: sqlite3_bind_null(statement, position)
            case .integer(let number): sqlite3_bind_int64(statement, position, number)
            case .real(let number): sqlite3_bind_double(statement, position, number)
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, loa_sqlite_transient())
            case .blob(let bytes):
                bytes.withUnsafeBytes { sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), loa_sqlite_transient()) }
            }
            guard code == SQLITE_OK else { throw SQLiteError(path: path, sql: sql, reason: lastError) }
        }
        var result: [[SQLiteValue]] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                result.append((0..<sqlite3_column_count(statement)).map { column in Self.value(of: statement, column) })
            case SQLITE_DONE:
                return result
            default:
                throw SQLiteError(path: path, sql: sql, reason: lastError)
            }
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    private static func value(of statement: OpaquePointer, _ column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, column)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}

/// A value bound to a statement or read from a row.
public enum SQLiteValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A statement SQLite refused, or a file it could not open.
public struct SQLiteError: Error, CustomStringConvertible {
    public let path: String
    public let sql: String?
    public let reason: String

    public var description: String {
        sql.map { "SQLite \(path): \(reason) (in \($0.prefix(120)))" } ?? "SQLite \(path): \(reason)"
    }
}
