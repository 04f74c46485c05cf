import Foundation
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import Testing

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
            let connection = try await SharedPostgres.freshDatabase()
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
