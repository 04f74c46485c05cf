public import LoaPostgresStore
public import Logging

/// The PostgreSQL pools of the communes one controller process serves: one per
/// database, opened when its first commune starts and shared by the rest, sized by
/// the largest `store.maximumConnections` among them (default 20).
public actor DatabasePools {
    private let sizes: [PostgresStore.Connection: Int]
    private var opening: [PostgresStore.Connection: Task<PostgresDatabase, any Error>] = [:]
    private let logger: Logger

    /// - Throws: when a commune's database password cannot be read.
    public init(serving configurations: [ControllerConfiguration], logger: Logger) throws {
        var sizes: [PostgresStore.Connection: Int] = [:]
        for configuration in configurations {
            guard let connection = try configuration.postgresConnection() else { continue }
            sizes[connection] = max(sizes[connection] ?? 0, configuration.store?.maximumConnections ?? Self.defaultSize)
        }
        self.sizes = sizes
        self.logger = logger
    }

    static let defaultSize = 20

    /// The pool of `connection`'s database, opened (and migrated) once.
    public func database(for connection: PostgresStore.Connection) async throws -> PostgresDatabase {
        if let opened = opening[connection] { return try await opened.value }
        let size = sizes[connection] ?? Self.defaultSize
        let task = Task { [logger] in try await PostgresDatabase(connection: connection, maximumConnections: size, logger: logger) }
        opening[connection] = task
        return try await task.value
    }

    /// Closes every pool opened.
    public func closeAll() async {
        for task in opening.values { await (try? task.value)?.close() }
        opening.removeAll()
    }
}
