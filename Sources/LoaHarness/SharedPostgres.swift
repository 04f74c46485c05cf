public import Foundation
public import LoaController
public import LoaPostgresStore

#if canImport(Glibc)
import Glibc
#endif

/// One PostgreSQL server for the whole test process (an `initdb` costs seconds), a
/// fresh database for each test; stopped by PID when the process exits.
public enum SharedPostgres {
    private static let server: Result<PostgresServer, any Error> = {
        let started = Result { try PostgresServer() }
        atexit { SharedPostgres.stopAtExit() }
        return started
    }()

    private static func stopAtExit() { try? server.get().stop() }

    /// Connection details of a new, empty database.
    /// - Throws: why the server could not start (e.g. PostgreSQL is not installed).
    public static func freshDatabase() async throws -> PostgresStore.Connection {
        let server = try server.get()
        let admin = PostgresStore.Connection(
            host: "127.0.0.1", port: server.port, user: server.user, password: server.password, database: "postgres")
        let name = "loa_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresStore.createDatabase(name, on: admin)
        var connection = admin
        connection.database = name
        return connection
    }
}

extension SharedPostgres {
    /// The settings of a controller whose store is a fresh database: its password
    /// written to `passwordFile` (mode 0600), as an operator would.
    public static func controllerStore(passwordFile: URL) async throws -> ControllerConfiguration.StoreSettings {
        let connection = try await freshDatabase()
        try Data(connection.password.utf8).write(to: passwordFile)
        chmod(passwordFile.path, 0o600)
        return .init(
            engine: .postgres, host: connection.host, port: connection.port, user: connection.user,
            passwordFile: passwordFile.path, database: connection.database)
    }
}
