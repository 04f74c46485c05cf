public import Foundation
public import LoaStore
public import LoaProtocol
public import LoaTransparency
public import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    public var verifierKey: VerifierKey { signingKey.verifier }

    /// The entries committed, as far as this process has read or appended them.
    public var logSize: UInt64 { log.withLock { $0.committedSize } }

    public func signCheckpoint(at now: Date) async throws -> String {
        try await appending.withLock { try await catchUp(using: client) }
        let checkpoint = try log.withLock { state in try state.tree.checkpoint(origin: signingKey.name, size: state.committedSize) }
        let note = try checkpoint.signed(with: signingKey)
        try await client.run(
            """
            INSERT INTO checkpoint (site, size, note, signed_at) VALUES (\(site), \(Int64(checkpoint.size)), \(note), \(now))
            ON CONFLICT DO NOTHING
            """, logger)
        return note
    }

    public func latestCheckpoint() async throws -> String? { try await head()?.note }

    /// The head checkpoint re-signed with every append: the size it covers and its note.
    private func head() async throws -> (size: UInt64, note: String)? {
        guard let row = try await client.rows("SELECT size, note FROM log_head WHERE site = \(site)", logger).first,
              let note: String = try row.value("note")
        else { return nil }
        return (UInt64(try row.value("size", as: Int64.self)), note)
    }

    public func inclusionProof(index: UInt64) async throws -> InclusionProof {
        guard let (size, note) = try await head() else { throw LogQueryError.noCheckpoint }
        guard index < size else { throw LogQueryError.notCovered(index: index, size: size) }
        // Only a head beyond what this process committed needs the others' entries read
        // (under the append lock); otherwise the tree has it and no append is waited for.
        if size > logSize { try await appending.withLock { try await catchUp(to: size, using: client) } }
        return try log.withLock { try $0.tree.inclusionProof(index: index, size: size, checkpoint: note) }
    }

    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) async throws -> ConsistencyProof {
        // As for an inclusion proof: catch up with the other controllers only for a size not committed here yet.
        if newSize > logSize { try await appending.withLock { try await catchUp(using: client) } }
        return try log.withLock { state in
            guard newSize <= state.committedSize else {
                throw MerkleTreeError.sizeOutOfRange(oldSize: oldSize, newSize: newSize, count: state.committedSize)
            }
            return try state.tree.consistencyProof(from: oldSize, to: newSize)
        }
    }

    public func logRecords(in range: Range<UInt64>) async throws -> [LogRecord] {
        try await Self.records(site: site, from: range.lowerBound, to: range.upperBound, client, logger)
    }

    public func logEntries(matching query: LogQuery) async throws -> [LoggedEntry] {
        var reader = LoggedEntryReader()
        return try await client.rows(
            "SELECT position, entry FROM log_entry WHERE site = \(site) ORDER BY position", logger
        ).compactMap { row in
            let entry = reader.entry(index: UInt64(try row.value("position", as: Int64.self)), bytes: try row.value("entry"))
            return query.matches(entry) ? entry : nil
        }
    }

    static func records(site: String, from: UInt64, to: UInt64, _ db: some PostgresQuerying, _ logger: Logger) async throws
        -> [LogRecord]
    {
        try await db.rows(
            """
            SELECT * FROM log_entry WHERE site = \(site) AND position >= \(Int64(from)) AND position < \(Int64(to))
            ORDER BY position
            """, logger
        ).map { row in
            LogRecord(
                index: UInt64(try row.value("position", as: Int64.self)), entry: try row.value("entry"),
                leafHash: try row.value("leaf_hash"), chainHash: try row.value("chain_hash"))
        }
    }

    /// Reads what was appended since this process last looked (by another controller,
    /// or at open) into the tree, checking each record as it goes. Call under `appending`.
    func catchUp(using db: some PostgresQuerying) async throws {
        let stored = try await db.rows("SELECT size FROM log_head WHERE site = \(site)", logger).first
        try await catchUp(to: UInt64(try stored?.value("size", as: Int64.self) ?? 0), using: db)
    }

    /// Reads the entries up to `size` (the head already read) into the tree. Call under `appending`.
    private func catchUp(to size: UInt64, using db: some PostgresQuerying) async throws {
        let known = log.withLock { $0.tree.size }
        guard size > known else { return }
        let records = try await Self.records(site: site, from: known, to: size, db, logger)
        try log.withLock { state in
            for record in records { try state.tree.resume(record) }
            state.committedSize = state.tree.size
        }
    }

    /// Appends entries to one commune's log inside a transaction (`writeAppendingToLogs`):
    /// each is added to the tree at once, its row kept to be written at the end together
    /// with the head's update and any rows given to ``insertAlongside(_:)``, in one
    /// statement with those of every other commune of the transaction.
    final class LogAppender: Sendable {
        let store: PostgresStore
        private let pending = Mutex<(records: [LogRecord], alongside: [RowsAlongside])>(([], []))

        init(store: PostgresStore) { self.store = store }

        /// Adds `entries` to the tree in order; their rows are written at the end.
        func append(all entries: [Data]) -> [LogRecord] {
            let records = store.log.withLock { state in entries.map { state.tree.append($0) } }
            pending.withLock { $0.records += records }
            return records
        }

        /// Adds `entry` to the tree; its row is written at the end.
        func append(_ entry: Data) -> LogRecord { append(all: [entry])[0] }

        /// Rows the transaction inserts, written in the statement that writes the log's
        /// rows (the events a batch logs).
        func insertAlongside(_ rows: RowsAlongside) {
            pending.withLock { $0.alongside.append(rows) }
        }

        /// The rows kept, taken out.
        fileprivate func takePending() -> (records: [LogRecord], alongside: [RowsAlongside]) {
            pending.withLock { pending in
                defer { pending = ([], []) }
                return pending
            }
        }

        /// Writes the rows the appenders kept and the heads given (site, size, signed note)
        /// in one statement (`WITH … INSERT …, … UPDATE log_head`), each table's rows of
        /// every commune bound as one array per column (``ColumnArrays``).
        static func write(
            _ appenders: [LogAppender], heads: [(site: String, size: UInt64, note: String)], on db: PostgresConnection, _ logger: Logger
        ) async throws {
            var logRows = ColumnArrays([.text, .int8, .bytea, .bytea, .bytea])
            var alongside: [String: ColumnArrays] = [:]
            var tables: [String] = []
            for appender in appenders {
                let (records, rows) = appender.takePending()
                for record in records {
                    try logRows.row {
                        try $0.append(appender.store.site)
                        try $0.append(Int64(record.index))
                        try $0.append(record.entry)
                        try $0.append(record.leafHash)
                        try $0.append(record.chainHash)
                    }
                }
                for insert in rows where insert.count > 0 {
                    if alongside[insert.into] == nil { tables.append(insert.into) }
                    try insert.add(to: &alongside[insert.into, default: ColumnArrays(insert.types)])
                }
            }
            var binds = PostgresBindings()
            var statements: [String] = []
            for (into, columns) in [("log_entry (site, position, entry, leaf_hash, chain_hash)", logRows)] + tables.map({ ($0, alongside[$0]!) })
            where columns.count > 0 {
                statements.append("INSERT INTO \(into) SELECT * FROM \(columns.unnest(binding: &binds))")
            }
            if !heads.isEmpty {
                var headRows = ColumnArrays([.text, .int8, .text])
                for head in heads {
                    try headRows.row {
                        try $0.append(head.site)
                        try $0.append(Int64(head.size))
                        try $0.append(head.note)
                    }
                }
                statements.append("""
                    UPDATE log_head h SET size = n.size, note = n.note
                    FROM \(headRows.unnest(binding: &binds)) AS n (site, size, note) WHERE h.site = n.site
                    """)
            }
            guard let last = statements.popLast() else { return }
            let sql = statements.isEmpty
                ? last : "WITH " + statements.enumerated().map { "written\($0) AS (\($1))" }.joined(separator: ", ") + " " + last
            try await db.run(PostgresQuery(unsafeSQL: sql, binds: binds), logger)
        }
    }

    /// Runs `body` in one transaction, giving it a `LogAppender` (`writeAppendingToLogs`).
    func writeAppendingToLog<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, LogAppender) async throws -> T
    ) async throws -> T {
        try await Self.writeAppendingToLogs([self]) { db, appenders in try await body(db, appenders[0]) }
    }

    /// Runs `body` in one transaction on the logs of `stores` (communes of one database,
    /// each site once), giving it a `LogAppender` for each, in order. Each store's append
    /// lock in this process and each commune's head row are taken in site order, so
    /// appends of all controllers take turns and never deadlock, and each tree catches up
    /// with the others' appends. Each log that grew has its head checkpoint re-signed once
    /// (with its commune's key), written in the same statement as every entry's row. If
    /// the transaction fails, the trees are read again from what is stored: readers only
    /// ever see committed entries.
    static func writeAppendingToLogs<T: Sendable>(
        _ stores: [PostgresStore], _ body: @escaping @Sendable (PostgresConnection, [LogAppender]) async throws -> T
    ) async throws -> T {
        precondition(Set(stores.map(\.site)).count == stores.count, "each commune's log once in a transaction")
        guard let first = stores.first else { preconditionFailure("at least one store") }
        let inOrder = stores.sorted { $0.site < $1.site }
        return try await AsyncLock.withLocks(inOrder.map(\.appending)) {
            do {
                let (result, sizes) = try await first.client.transaction(first.logger) { db in
                    let locked = try await lockedHeadSizes(inOrder.map(\.site), db, first.logger)
                    for store in inOrder { try await store.catchUp(to: locked[store.site] ?? 0, using: db) }
                    let sizesBefore = stores.map { store in store.log.withLock { $0.tree.size } }
                    let appenders = stores.map(LogAppender.init)
                    let result = try await body(db, appenders)
                    var heads: [(site: String, size: UInt64, note: String)] = []
                    for (store, sizeBefore) in zip(stores, sizesBefore) {
                        guard let checkpoint = store.log.withLock({ $0.tree.size == sizeBefore ? nil : $0.tree.checkpoint(origin: store.signingKey.name) })
                        else { continue }
                        heads.append((store.site, checkpoint.size, try checkpoint.signed(with: store.signingKey)))
                    }
                    try await LogAppender.write(appenders, heads: heads, on: db, first.logger)
                    return (result, stores.map { store in store.log.withLock { $0.tree.size } })
                }
                for (store, size) in zip(stores, sizes) { store.log.withLock { $0.committedSize = max($0.committedSize, size) } }
                return result
            } catch {
                for store in inOrder { try await store.reloadLog() }
                throw error
            }
        }
    }

    /// Locks the head rows of `sites` for the transaction, in site order, and reads their
    /// sizes; the rows are made first for communes that have none yet.
    private static func lockedHeadSizes(_ sites: [String], _ db: PostgresConnection, _ logger: Logger) async throws -> [String: UInt64] {
        let lock: PostgresQuery = "SELECT site, size FROM log_head WHERE site = ANY(\(sites)::text[]) ORDER BY site FOR UPDATE"
        func read() async throws -> [String: UInt64] {
            var sizes: [String: UInt64] = [:]
            for row in try await db.rows(lock, logger) { sizes[try row.value("site")] = UInt64(try row.value("size", as: Int64.self)) }
            return sizes
        }
        let sizes = try await read()
        let missing = sites.filter { sizes[$0] == nil }
        guard !missing.isEmpty else { return sizes }
        try await db.run(
            "INSERT INTO log_head (site, size) SELECT site, 0 FROM unnest(\(missing)::text[]) AS site ON CONFLICT DO NOTHING", logger)
        return try await read()
    }

    /// Reads the whole log again from its rows (after a failed transaction). Call under `appending`.
    private func reloadLog() async throws {
        log.withLock { $0 = (TransparencyLog(), 0) }
        try await catchUp(using: client)
    }
}

extension PostgresStore {
    /// Verifies the commune's log as `loa log verify` does for a SQLite file: recomputes
    /// its chain and tree from the stored rows, checks every checkpoint of its history,
    /// the head and the `witnessed` ones, and looks for events logged beyond its end.
    public func verifyLog(keys: [VerifierKey], witnessed: [String] = []) async throws -> LogVerificationReport {
        try await Self.verifyLog(site: site, keys: keys, witnessed: witnessed, client, logger)
    }

    /// Verifies commune `site`'s log in the database `connection` reaches, without
    /// opening a store (which refuses a log that does not check out): what an auditor runs.
    public static func verifyLog(
        connection: Connection, site: String, keys: [VerifierKey], witnessed: [String] = [],
        logger: Logger = Logger(label: "loa.store.postgres")
    ) async throws -> LogVerificationReport {
        try await connection.withClient(logger: logger) { client in
            try await verifyLog(site: site, keys: keys, witnessed: witnessed, client, logger)
        }
    }

    private static func verifyLog(
        site: String, keys: [VerifierKey], witnessed: [String], _ client: PostgresClient, _ logger: Logger
    ) async throws -> LogVerificationReport {
        var verifier = LogVerifier(keys: keys)
        for record in try await records(site: site, from: 0, to: UInt64(Int64.max), client, logger) {
            verifier.check(record)
        }
        let history = try await client.rows("SELECT note FROM checkpoint WHERE site = \(site) ORDER BY size", logger)
            .map { try $0.value("note", as: String.self) }
        let head: String? = try await client.rows("SELECT note FROM log_head WHERE site = \(site)", logger).first?.value("note")
        let highest: Int64? = try await client.rows("SELECT max(log_position) AS highest FROM event WHERE site = \(site)", logger)
            .first?.value("highest")
        return LogAudit.judge(verifier, history: history, head: head, highestEventPosition: highest, witnessed: witnessed)
    }
}
