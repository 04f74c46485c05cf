import Foundation
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The engines the store API runs on. Every behaviour a controller relies on is
/// tested on each: SQLite in a temporary folder, PostgreSQL in a fresh database of
/// a real server the tests start (`PostgresServer`).
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// An empty store of this engine for one test, signing with `key`.
    func makeStore(signingKey key: SigningKey, site: String = "xa-thu-nghiem") async throws -> TestStore {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory()
            let path = directory.path("loa.sqlite").path
            return TestStore(store: try SQLiteStore(path: path, signingKey: key)) {
                try SQLiteStore(path: path, signingKey: key)
            } verifyLog: { keys in
                // As `loa log verify` does: the file, read-only, not the open store.
                try LogAudit.verify(databaseAt: path, keys: keys)
            } remove: {
                directory.remove()
            }
        case .postgres:
            let connection = try await TestPostgres.freshDatabase()
            let keys = ControllerKeyRing(current: key)
            let store = try await PostgresStore(connection: connection, site: site, keys: keys)
            return TestStore(store: store) {
                try await PostgresStore(connection: connection, site: site, keys: keys)
            } verifyLog: { keys in
                try await store.verifyLog(keys: keys)
            } remove: {}
        }
    }
}

/// A store made for one test, and how to open its data again (a restart, or a
/// second controller on the same data).
struct TestStore: Sendable {
    let store: any ControllerStore
    let reopen: @Sendable () async throws -> any ControllerStore
    /// Verifies the stored log as an auditor does (`loa log verify`).
    let verifyLog: @Sendable (_ keys: [VerifierKey]) async throws -> LogVerificationReport
    let remove: @Sendable () -> Void

    init(
        store: any ControllerStore, reopen: @escaping @Sendable () async throws -> any ControllerStore,
        verifyLog: @escaping @Sendable ([VerifierKey]) async throws -> LogVerificationReport, remove: @escaping @Sendable () -> Void
    ) {
        (self.store, self.reopen, self.verifyLog, self.remove) = (store, reopen, verifyLog, remove)
    }
}

/// One PostgreSQL server for the whole test process (an `initdb` costs seconds), a
/// fresh database for each test; stopped by PID when the process exits.
enum TestPostgres {
    private static let server: Result<PostgresServer, any Error> = {
        let started = Result { try PostgresServer() }
        atexit { TestPostgres.stopAtExit() }
        return started
    }()

    private static func stopAtExit() { try? server.get().stop() }

    /// Connection details of a new, empty database.
    static func freshDatabase() async throws -> PostgresStore.Connection {
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
