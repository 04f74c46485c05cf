import Foundation
import LoaDomain
public import LoaPostgresStore
public import Logging

extension ControllerConfiguration {
    /// Where the commune's signing keys and media secret are kept: sealed in the
    /// PostgreSQL `database` when the settings name a secrets key (`store.secretsKeyFile`),
    /// else in the data folder.
    public func keyVault(database: PostgresDatabase?) throws -> any ControllerKeyVault {
        let folder = URL(fileURLWithPath: dataDirectory), name = Self.keyName(site: site.id)
        guard let database, let secretsKeyFile = store?.secretsKeyFile else {
            return ControllerKeyFiles(directory: folder, name: name)
        }
        return DatabaseKeyVault(
            records: PostgresCommuneRecords(database: database, site: site.id), site: site.id, name: name,
            sealing: try SecretsKey.loadOrCreate(at: secretsKeyFile), dataDirectory: folder)
    }

    /// Runs `body` with the commune's key vault, connecting to the database for it when
    /// the keys are kept there: the command line's way to them (`loa device add`, `loa log verify`).
    public func withKeyVault<T: Sendable>(
        logger: Logger = Logger(label: "loa.keys"), _ body: (any ControllerKeyVault) async throws -> T
    ) async throws -> T {
        guard store?.secretsKeyFile != nil, let connection = try postgresConnection() else {
            return try await body(try keyVault(database: nil))
        }
        let database = try await PostgresDatabase(connection: connection, maximumConnections: 2, logger: logger)
        do {
            let result = try await body(try keyVault(database: database))
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
