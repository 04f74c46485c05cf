import Foundation
import LoaDomain
public import LoaPostgresStore
public import Logging
public import LoaProvisioning

extension ControllerConfiguration {
    /// Where the commune's signing keys and media secret are kept: on a PostgreSQL
    /// `database`, in it, sealed with the secrets key (`secretsKeyFile`); on SQLite, in
    /// the data folder.
    public func keyVault(database: PostgresDatabase?) throws -> any ControllerKeyVault {
        let folder = URL(fileURLWithPath: dataDirectory), name = Self.keyName(site: site.id)
        guard let database else { return ControllerKeyFiles(directory: folder, name: name) }
        return DatabaseKeyVault(
            records: PostgresCommuneRecords(database: database, site: site.id), site: site.id, name: name,
            sealing: try SecretsKey.loadOrCreate(at: secretsKeyFile), dataDirectory: folder)
    }

    /// The secrets key that seals the commune's keys in a PostgreSQL store:
    /// `store.secretsKeyFile`, by default `secrets.key` in the data folder. Every
    /// controller of the commune must hold the same one; one that holds another refuses
    /// to start (it can never sign with a key of its own beside the commune's).
    public var secretsKeyFile: String {
        store?.secretsKeyFile ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("secrets.key").path
    }

    /// Runs `body` with the PostgreSQL database the settings name (nil for SQLite),
    /// connected for the while: the command line's way to what the commune keeps there
    /// (`loa device add` and its keys and registry).
    public func withStoreDatabase<T: Sendable>(
        logger: Logger = Logger(label: "loa.store"), _ body: (PostgresDatabase?) async throws -> T
    ) async throws -> T {
        guard let connection = try postgresConnection() else { return try await body(nil) }
        let database = try await PostgresDatabase(connection: connection, maximumConnections: 2, logger: logger)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

extension ControllerConfiguration {
    /// Where the commune's device registry is read: its record in the PostgreSQL
    /// `database` (not read yet: `DatabaseDeviceRegistry.start`), else `devices.json`
    /// of the data folder.
    public func deviceRegistry(database: PostgresDatabase?) -> any DeviceRegistrySource {
        guard let database else { return DeviceRegistryFile(url: deviceRegistryFile) }
        return DatabaseDeviceRegistry(records: PostgresCommuneRecords(database: database, site: site.id), folderFile: deviceRegistryFile)
    }
}
