import Foundation
import GRDB
import LoaProtocol

extension SQLiteStore {
    // MARK: What each hamlet was sent

    /// What the controller has sent to `zone` among `items`, by item id: the facts a
    /// device's events about them are checked against.
    public func sentItems(zone: String, items: some Collection<String> & Sendable) async throws -> [String: SentItem] {
        guard !items.isEmpty else { return [:] }
        return try await database.read { db in
            var found: [String: SentItem] = [:]
            let ids = Array(Set(items))
            // SQLite takes at most 32,766 parameters; batches stay far below.
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM sentItem WHERE zone = ? AND item IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments([zone] + Array(chunk)))
                for row in rows {
                    guard let kind = SentItem.Kind(rawValue: row["kind"]) else { continue }
                    found[row["item"]] = SentItem(
                        zone: row["zone"], item: row["item"], kind: kind, startAt: row["startAt"], endAt: row["endAt"],
                        durationMs: row["durationMs"], firstSentAt: row["firstSentAt"])
                }
            }
            return found
        }
    }

    /// Records what a published document lists, keeping the first time each item was sent.
    static func recordSent(_ items: [SentItem], _ db: Database) throws {
        for item in items {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO sentItem (zone, item, kind, startAt, endAt, durationMs, firstSentAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [item.zone, item.item, item.kind.rawValue, item.startAt, item.endAt, item.durationMs, item.firstSentAt])
        }
    }

    // MARK: Refused events

    /// Keeps refused messages as evidence and counts them per device and reason, in one
    /// transaction; a message kept before (same device and digest) is not counted again.
    /// Only the latest ``RefusedEvent/keptPerDevice`` messages of a device are kept.
    /// - Returns: for each, true when it was new.
    @discardableResult
    public func recordRefused(_ refused: [RefusedEvent]) async throws -> [Bool] {
        guard !refused.isEmpty else { return [] }
        return try await database.write { db in
            let new = try refused.map { event in
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO refusedEvent (device, digest, eventID, receivedAt, reason, detail, payloadBytes, excerpt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.device, event.digest, event.eventID, event.receivedAt, event.reason, event.detail,
                        event.payloadBytes, event.excerpt,
                    ])
                guard db.changesCount > 0 else { return false }
                try db.execute(
                    sql: """
                        INSERT INTO deviceRefusal (device, reason, count, lastAt, lastDetail) VALUES (?, ?, 1, ?, ?)
                        ON CONFLICT(device, reason) DO UPDATE SET count = count + 1, lastAt = excluded.lastAt,
                            lastDetail = excluded.lastDetail
                        """,
                    arguments: [event.device, event.reason, event.receivedAt, event.detail])
                return true
            }
            for device in Set(refused.map(\.device)) {
                try db.execute(
                    sql: """
                        DELETE FROM refusedEvent WHERE device = ? AND rowid NOT IN
                            (SELECT rowid FROM refusedEvent WHERE device = ? ORDER BY receivedAt DESC, rowid DESC LIMIT ?)
                        """,
                    arguments: [device, device, RefusedEvent.keptPerDevice])
            }
            return new
        }
    }

    /// The refused messages kept for `device` (all devices when nil), latest first.
    public func refusedEvents(device: String?) async throws -> [RefusedEvent] {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM refusedEvent \(device == nil ? "" : "WHERE device = ?") ORDER BY receivedAt DESC, rowid DESC",
                arguments: device.map { [$0] } ?? [])
            return rows.map { row in
                var event = RefusedEvent(
                    device: row["device"], eventID: row["eventID"], digest: row["digest"], receivedAt: row["receivedAt"],
                    reason: row["reason"], detail: row["detail"], payload: Data())
                event.payloadBytes = row["payloadBytes"]
                event.excerpt = row["excerpt"]
                return event
            }
        }
    }

    /// How many events each device had refused, by reason.
    public func refusalCounts() async throws -> [DeviceRefusalCount] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deviceRefusal ORDER BY device, reason").map { row in
                DeviceRefusalCount(
                    device: row["device"], reason: row["reason"], count: row["count"], lastAt: row["lastAt"],
                    lastDetail: row["lastDetail"])
            }
        }
    }
}
