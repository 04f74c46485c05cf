public import Logging
import PostgresNIO

extension PostgresStore {
    /// Creates the database `name` on the server `connection` reaches (connecting to
    /// its database, e.g. `postgres`), for a new deployment or a test.
    /// - Throws: `PostgresSetupError.invalidName` unless `name` is lowercase letters, digits and `_`.
    public static func createDatabase(_ name: String, on connection: Connection, logger: Logger = Logger(label: "loa.store.postgres"))
        async throws
    {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw PostgresSetupError.invalidName(name)
        }
        try await connection.withClient(logger: logger) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
    }
}

/// Why a PostgreSQL database could not be set up.
public enum PostgresSetupError: Error, CustomStringConvertible {
    case invalidName(String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "'\(name)' is not a database name Loa creates: use lowercase letters, digits and '_'"
        }
    }
}
