public import Foundation
import LoaAudio
public import LoaController
public import LoaPostgresStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One PostgreSQL server for the whole test process (an `initdb` costs seconds), a
/// fresh database for each test; stopped by PID when the process exits.
///
/// It starts on a thread of its own. On the cooperative pool (2 threads on 2 cores) the
/// first tests to ask for a database held its threads for the seconds `initdb` takes,
/// stalling every other test of the process: a 1 s sleep of a playback test beside
/// them once ended 10 s late.
public enum SharedPostgres {
    private static let server: Task<PostgresServer, any Error> = {
        atexit { SharedPostgres.stopAtExit() }
        return Task {
            let server = try await DedicatedThread.run(name: "loa-test-postgres") { try PostgresServer() }
            started.withLock { $0 = server }
            return server
        }
    }()
    private static let started = Mutex<PostgresServer?>(nil)

    private static func stopAtExit() { started.withLock { $0 }?.stop() }

    /// Connection details of a new, empty database.
    /// - Throws: why the server could not start (e.g. PostgreSQL is not installed).
    public static func freshDatabase() async throws -> PostgresStore.Connection {
        let server = try await server.value
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
    /// written to `passwordFile` (mode 0600), as an operator would, and the commune's
    /// secrets key beside it (`secrets.key`, made at the first controller's start), so
    /// every controller given these settings serves the commune with its keys.
    public static func controllerStore(passwordFile: URL) async throws -> ControllerConfiguration.StoreSettings {
        let connection = try await freshDatabase()
        try Data(connection.password.utf8).write(to: passwordFile)
        chmod(passwordFile.path, 0o600)
        return .init(
            engine: .postgres, host: connection.host, port: connection.port, user: connection.user,
            passwordFile: passwordFile.path, database: connection.database,
            secretsKeyFile: passwordFile.deletingLastPathComponent().appendingPathComponent("secrets.key").path)
    }
}
