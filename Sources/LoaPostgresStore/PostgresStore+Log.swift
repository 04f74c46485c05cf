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

    /// Appends entries to the log inside a transaction (`writeAppendingToLog`).
    struct LogAppender: Sendable {
        let store: PostgresStore
        let db: PostgresConnection

        /// Adds `entries` to the tree in order and stores their rows, many per statement.
        func append(all entries: [Data]) async throws -> [LogRecord] {
            let records = store.log.withLock { state in entries.map { state.tree.append($0) } }
            for start in stride(from: 0, to: records.count, by: MultiRowValues.rowsPerStatement(columns: 5)) {
                var values = MultiRowValues(columns: 5)
                for record in records[start..<min(records.count, start + MultiRowValues.rowsPerStatement(columns: 5))] {
                    try values.row {
                        $0.append(store.site)
                        $0.append(Int64(record.index))
                        try $0.append(record.entry)
                        try $0.append(record.leafHash)
                        try $0.append(record.chainHash)
                    }
                }
                try await db.run(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO log_entry (site, position, entry, leaf_hash, chain_hash) VALUES \(values.rows)",
                        binds: values.binds),
                    store.logger)
            }
            return records
        }

        /// Adds `entry` to the tree and stores its row.
        func append(_ entry: Data) async throws -> LogRecord {
            let record = store.log.withLock { $0.tree.append(entry) }
            try await db.run(
                """
                INSERT INTO log_entry (site, position, entry, leaf_hash, chain_hash)
                VALUES (\(store.site), \(Int64(record.index)), \(record.entry), \(record.leafHash), \(record.chainHash))
                """, store.logger)
            return record
        }
    }

    /// Runs `body` in one transaction, giving it a `LogAppender`. The commune's head row
    /// is locked first, so appends of all controllers take turns, and the tree catches up
    /// with theirs. When anything was appended, the head checkpoint is re-signed once in
    /// the same transaction. If the transaction fails, the tree is read again from what is
    /// stored: readers only ever see committed entries.
    func writeAppendingToLog<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, LogAppender) async throws -> T
    ) async throws -> T {
        try await appending.withLock {
            do {
                let (result, size) = try await client.transaction(logger) { db in
                    try await db.run("INSERT INTO log_head (site, size) VALUES (\(self.site), 0) ON CONFLICT DO NOTHING", self.logger)
                    let locked = try await db.rows("SELECT size FROM log_head WHERE site = \(self.site) FOR UPDATE", self.logger)
                    try await self.catchUp(to: UInt64(try locked.first?.value("size", as: Int64.self) ?? 0), using: db)
                    let sizeBefore = self.log.withLock { $0.tree.size }
                    let result = try await body(db, LogAppender(store: self, db: db))
                    let head = self.log.withLock { $0.tree.size == sizeBefore ? nil : $0.tree.checkpoint(origin: self.signingKey.name) }
                    if let head {
                        try await db.run(
                            """
                            UPDATE log_head SET size = \(Int64(head.size)), note = \(try head.signed(with: self.signingKey))
                            WHERE site = \(self.site)
                            """, self.logger)
                    }
                    return (result, self.log.withLock { $0.tree.size })
                }
                log.withLock { $0.committedSize = max($0.committedSize, size) }
                return result
            } catch {
                try await reloadLog()
                throw error
            }
        }
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
