public import Logging
import PostgresNIO

/// One pool of connections to a PostgreSQL database, migrated once, shared by every
/// commune a controller process serves (`PostgresStore(database:site:keys:)`) and by
/// the province's desk: 200 communes in one process hold one pool, not 200.
public final class PostgresDatabase: Sendable {
    let client: PostgresClient
    private let running: Task<Void, Never>
    let logger: Logger

    /// Connects and applies the migrations not applied yet (under an advisory lock, so
    /// processes starting together migrate once).
    /// - Parameter maximumConnections: the pool's size; PostgreSQL's own limit
    ///   (`max_connections`, 100 by default) bounds the sum over every process.
    public init(connection: PostgresStore.Connection, maximumConnections: Int = 20, logger: Logger = Logger(label: "loa.store.postgres"))
        async throws
    {
        var configuration = try connection.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        running = Task { await client.run() }
        do {
            try await PostgresSchema.migrate(client, logger: logger)
        } catch {
            running.cancel()
            throw error
        }
    }

    /// Closes the connections; stores on this database stop working.
    public func close() async {
        running.cancel()
        _ = await running.value
    }

    deinit { running.cancel() }
}
