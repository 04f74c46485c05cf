public import Foundation
public import LoaProtocol
import LoaStore
import LoaTransparency
import Logging
import PostgresNIO

extension PostgresStore {
    /// Stores a batch of events (up to a thousand) with the batches other communes of this
    /// process store at the same moment: one transaction for all of them
    /// (``recordTogether(_:)``). Answers, for each event, whether it is new.
    @discardableResult
    public func record(_ events: [(DeviceEvent, Date)]) async throws -> [Bool] {
        guard !events.isEmpty else { return [] }
        return try await database.eventBatches.submit(
            EventBatch(store: self, events: events), select: EventBatch.nextTransaction, answer: Self.recordEach
        ).get()
    }

    /// Stores `batches` together (``recordTogether(_:)``); when that fails, each batch
    /// alone, so one commune's rows the database refuses do not keep the others' events out.
    static func recordEach(_ batches: [EventBatch]) async -> [Result<[Bool], any Error>] {
        do {
            return try await recordTogether(batches).map { .success($0) }
        } catch {
            guard batches.count > 1 else { return [.failure(error)] }
            var results: [Result<[Bool], any Error>] = []
            for batch in batches {
                do {
                    results.append(.success(try await recordTogether([batch])[0]))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// Stores the batches of several communes in one transaction of five statements: its
    /// start, the communes' head rows locked (in site order), one query for the events
    /// already stored, the log's rows, the events (with their log positions) and the heads
    /// written in one (`LogAppender.write`), and the commit. In a burst (an emergency to
    /// every commune, its receivers reporting over seconds) each commune's batch is a
    /// handful of events: together they cost a transaction, not one each.
    static func recordTogether(_ batches: [EventBatch]) async throws -> [[Bool]] {
        var stores: [PostgresStore] = []
        for batch in batches where !stores.contains(where: { $0 === batch.store }) { stores.append(batch.store) }
        let logger = batches[0].store.logger
        return try await writeAppendingToLogs(stores) { db, appenders in
            var seen = try await storedEvents(of: batches, db, logger)
            let appenderOf = Dictionary(uniqueKeysWithValues: appenders.map { (ObjectIdentifier($0.store), $0) })
            var answers: [[Bool]] = []
            for batch in batches {
                guard let appender = appenderOf[ObjectIdentifier(batch.store)] else { continue }
                let site = batch.store.site
                // New: not stored before, and the first of any repeated in the batches.
                let new = batch.events.map { event, _ in seen.insert(EventBatch.key(site, event)).inserted }
                answers.append(new)
                let fresh = zip(batch.events, new).filter(\.1).map(\.0)
                let records = appender.append(all: fresh.map { LogEntryEncoding.encode(event: $0.0, receivedAt: $0.1) })
                appender.insertAlongside(eventRows(site: site, fresh, logged: records))
            }
            return answers
        }
    }

    /// Of the events of `batches`, those already stored (`EventBatch.key`).
    private static func storedEvents(of batches: [EventBatch], _ db: PostgresConnection, _ logger: Logger) async throws -> Set<String> {
        var keys = ColumnArrays([.text, .text, .text])
        for batch in batches {
            for (event, _) in batch.events {
                try keys.row {
                    try $0.append(batch.store.site)
                    try $0.append(event.device)
                    try $0.append(event.id)
                }
            }
        }
        var binds = PostgresBindings()
        let sql = """
            SELECT e.site, e.device, e.id FROM \(keys.unnest(binding: &binds)) AS k (site, device, id)
            JOIN event e ON e.site = k.site AND e.device = k.device AND e.id = k.id
            """
        var seen = Set<String>()
        for row in try await db.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger) {
            seen.insert(try row.value("site", as: String.self) + "\u{0}" + row.value("device", as: String.self) + "\u{0}" + row.value("id", as: String.self))
        }
        return seen
    }

    /// The `event` rows of `events` of commune `site`, with their log positions.
    private static func eventRows(site: String, _ events: [(DeviceEvent, Date)], logged records: [LogRecord]) -> RowsAlongside {
        RowsAlongside(
            into: """
                event (site, id, device, event_site, zone, item, kind, at, measured_start_at, start_offset_ms, played_ms, reason,
                    received_at, log_position, clock_offset_ms, clock_uncertainty_ms, sound_heard, sound_score)
                """,
            types: [
                .text, .text, .text, .text, .text, .text, .text, .timestamptz, .timestamptz, .float8, .int8, .text,
                .timestamptz, .int8, .float8, .float8, .bool, .float8,
            ],
            count: events.count
        ) { index, row in
            let (event, receivedAt) = events[index]
            try row.append(site)
            try row.append(event.id)
            try row.append(event.device)
            try row.append(event.site)
            try row.append(event.zone)
            try row.append(event.item)
            try row.append(event.kind.rawValue)
            try row.append(event.at)
            try row.append(event.measuredStartAt)
            try row.append(event.startOffsetMs)
            try row.append(event.playedMs.map(Int64.init))
            try row.append(event.reason)
            try row.append(receivedAt)
            try row.append(Int64(records[index].index))
            try row.append(event.clockOffsetMs)
            try row.append(event.clockUncertaintyMs)
            try row.append(event.soundHeard)
            try row.append(event.soundScore)
        }
    }
}

/// One commune's batch of events, waiting to be stored with others (`PostgresStore.recordTogether`).
struct EventBatch: Sendable {
    var store: PostgresStore
    var events: [(DeviceEvent, Date)]

    /// Most events in one transaction.
    static let largestTransaction = 1000

    /// An event's key among all communes: `site\0device\0id`.
    static func key(_ site: String, _ event: DeviceEvent) -> String { site + "\u{0}" + event.device + "\u{0}" + event.id }

    /// The batches of the next transaction among those waiting (their indices), in
    /// arrival order: up to ``largestTransaction`` events (a larger batch alone), and one
    /// store per commune (two stores of one commune in a process keep trees of their own,
    /// so their appends take turns). A commune's batches are stored in the order they came.
    static func nextTransaction(_ waiting: [EventBatch]) -> [Int] {
        var chosen: [Int] = []
        var taken: [String: PostgresStore] = [:]
        var later = Set<String>()
        var events = 0
        for (index, batch) in waiting.enumerated() where !later.contains(batch.store.site) {
            let site = batch.store.site
            guard taken[site].map({ $0 === batch.store }) ?? true, chosen.isEmpty || events + batch.events.count <= largestTransaction else {
                later.insert(site)
                continue
            }
            chosen.append(index)
            taken[site] = batch.store
            events += batch.events.count
        }
        return chosen
    }
}
