public import Logging
import LoaStore
import PostgresNIO
import Synchronization

/// One pool of connections to a PostgreSQL database, migrated once, shared by every
/// commune a controller process serves (`PostgresStore(database:site:keys:)`) and by
/// the province's desk: 200 communes in one process hold one pool, not 200.
public final class PostgresDatabase: Sendable {
    let client: PostgresClient
    private let running: Task<Void, Never>
    let logger: Logger
    /// Sections that hold one pooled connection while they use another (a commune's
    /// take-up under its advisory lock): at most half the pool at once, so many communes
    /// taking up together cannot hold every connection while each waits for one more.
    let lockingSections: AsyncLock
    /// The leases the communes of this process ask for, asked together.
    let leaseRequests: LeaseRequests
    /// The events the communes of this process store, stored together (`PostgresStore.record`).
    let eventBatches = RequestGathering<EventBatch, Result<[Bool], any Error>>(gathering: .milliseconds(20))
    /// Whether the communes of this process have province emergencies to take up, asked together.
    let emergencyWorkChecks = RequestGathering<EmergencyWorkCheck, Bool>(gathering: .milliseconds(20))
    /// The commune records read by the communes of this process (each commune's device
    /// registry every 10 s, its keys), read together.
    let communeRecordReads = RequestGathering<PostgresCommuneRecords.Read, StoredCommuneRecord?>(gathering: .milliseconds(20))
    private let connection: PostgresStore.Connection
    /// Those waiting for the province's notices, and the task that listens for them.
    private let noticeListeners = NoticeListeners()
    private let listening = Mutex<(next: Int, task: Task<Void, Never>?)>((0, nil))

    /// The channel the province's desk notifies on when an emergency is approved or withdrawn.
    static let provinceEmergencyChannel = "loa_province_emergency"

    /// Connects and applies the migrations not applied yet (under an advisory lock, so
    /// processes starting together migrate once).
    /// - Parameter maximumConnections: the pool's size, at least 2; PostgreSQL's own limit
    ///   (`max_connections`, 100 by default) bounds the sum over every process.
    public init(connection: PostgresStore.Connection, maximumConnections: Int = 20, logger: Logger = Logger(label: "loa.store.postgres"))
        async throws
    {
        var configuration = try connection.clientConfiguration
        configuration.options.maximumConnections = max(2, maximumConnections)
        lockingSections = AsyncLock(permits: max(2, maximumConnections) / 2)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        leaseRequests = LeaseRequests(client: client, logger: logger)
        self.connection = connection
        self.logger = logger
        // Detached: a task inherits ServiceLifecycle's graceful shutdown from the one that
        // opens the pool, and `PostgresClient.run()` ends at that shutdown's start. The pool
        // must outlive the services still draining (a job releasing its lease, a request
        // being answered); `close()` ends it, after them.
        running = Task.detached { await client.run() }
        do {
            try await PostgresSchema.migrate(client, logger: logger)
        } catch {
            running.cancel()
            throw error
        }
    }

    /// Closes the connections; stores on this database stop working.
    public func close() async {
        let listener = listening.withLock { $0.task }
        listener?.cancel()
        await listener?.value
        running.cancel()
        _ = await running.value
    }

    deinit {
        running.cancel()
        listening.withLock { $0.task?.cancel() }
    }

    /// A notice each time the province approves or withdraws an emergency (PostgreSQL's
    /// `LISTEN`, on one connection of its own besides the pool, shared by every commune
    /// of the process), and once whenever that listening (re)starts, so nothing sent
    /// while it was down is missed for long. Notices that pile up are merged into one.
    func provinceEmergencyNotices() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = listening.withLock { state in
            defer { state.next += 1 }
            if state.task == nil { state.task = listen() }
            return state.next
        }
        noticeListeners.add(continuation, id: id)
        continuation.onTermination = { [noticeListeners] _ in noticeListeners.remove(id: id) }
        return stream
    }

    /// Detached, as the pool's own task is (see `init`): only `close()` ends it.
    private func listen() -> Task<Void, Never> {
        Task.detached { [connection, logger, noticeListeners] in
            let notifyAll = { noticeListeners.notifyAll() }
            while !Task.isCancelled {
                do {
                    var configuration = try connection.clientConfiguration
                    configuration.options.maximumConnections = 1
                    let listener = PostgresClient(configuration: configuration, backgroundLogger: logger)
                    try await withThrowingDiscardingTaskGroup { group in
                        group.addTask { await listener.run() }
                        try await listener.withConnection { connection in
                            try await connection.listen(on: Self.provinceEmergencyChannel) { notices in
                                notifyAll()
                                for try await _ in notices { notifyAll() }
                            }
                        }
                        group.cancelAll()
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("not listening for the province's notices; trying again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }
}

/// Whoever waits for the province's notices in this process.
private final class NoticeListeners: Sendable {
    private let listeners = Mutex<[Int: AsyncStream<Void>.Continuation]>([:])

    func add(_ continuation: AsyncStream<Void>.Continuation, id: Int) { listeners.withLock { $0[id] = continuation } }
    func remove(id: Int) { _ = listeners.withLock { $0.removeValue(forKey: id) } }
    func notifyAll() { listeners.withLock { for listener in $0.values { listener.yield() } } }
}
