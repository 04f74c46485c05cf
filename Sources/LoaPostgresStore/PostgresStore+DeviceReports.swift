import Foundation
public import LoaProtocol
public import LoaStore
import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    public func events(matching query: EventQuery) async throws -> [DeviceEvent] {
        // Each filter is bound; an absent one matches everything.
        let kinds = query.kinds.map(\.rawValue).sorted()
        let limit = query.limit.map { max($0, 0) }
        return try await client.rows(
            """
            SELECT * FROM event WHERE site = \(site)
                AND (\(query.item)::text IS NULL OR item = \(query.item))
                AND (\(query.device)::text IS NULL OR device = \(query.device))
                AND (\(query.hamlet)::text IS NULL OR zone = \(query.hamlet))
                AND (cardinality(\(kinds)::text[]) = 0 OR kind = ANY(\(kinds)))
                AND (\(query.from)::timestamptz IS NULL OR at >= \(query.from))
                AND (\(query.to)::timestamptz IS NULL OR at < \(query.to))
            ORDER BY sequence LIMIT \(limit)
            """, logger
        ).map { row in
            DeviceEvent(
                id: try row.value("id"), device: try row.value("device"), site: try row.value("event_site"), zone: try row.value("zone"),
                item: try row.value("item"), kind: DeviceEvent.Kind(rawValue: try row.value("kind")) ?? .failed, at: try row.value("at"),
                measuredStartAt: try row.value("measured_start_at"), startOffsetMs: try row.value("start_offset_ms"),
                playedMs: try row.value("played_ms"), reason: try row.value("reason"),
                clockOffsetMs: try row.value("clock_offset_ms"), clockUncertaintyMs: try row.value("clock_uncertainty_ms"),
                soundHeard: try row.value("sound_heard"), soundScore: try row.value("sound_score"))
        }
    }

    public func eventCounts() async throws -> [DeviceEvent.Kind: Int] {
        var counts: [DeviceEvent.Kind: Int] = [:]
        for row in try await client.rows("SELECT kind, count(*) AS n FROM event WHERE site = \(site) GROUP BY kind", logger) {
            if let kind = DeviceEvent.Kind(rawValue: try row.value("kind")) { counts[kind] = try row.value("n") }
        }
        return counts
    }

    // MARK: What each hamlet was sent

    public func sentItems(zone: String, items: some Collection<String> & Sendable) async throws -> [String: SentItem] {
        guard !items.isEmpty else { return [:] }
        var found: [String: SentItem] = [:]
        let unread = knownSent.withLock { known in
            Set(items).filter { item in
                guard let sent = known[zone + "\u{0}" + item] else { return true }
                found[item] = sent
                return false
            }
        }
        guard !unread.isEmpty else { return found }
        for row in try await client.rows(
            "SELECT * FROM sent_item WHERE site = \(site) AND zone = \(zone) AND item = ANY(\(Array(unread)))", logger)
        {
            guard let kind = SentItem.Kind(rawValue: try row.value("kind")) else { continue }
            let item: String = try row.value("item")
            found[item] = SentItem(
                zone: try row.value("zone"), item: item, kind: kind, startAt: try row.value("start_at"), endAt: try row.value("end_at"),
                durationMs: try row.value("duration_ms"), firstSentAt: try row.value("first_sent_at"))
        }
        keepSent(unread.compactMap { found[$0] })
        return found
    }

    /// Records what published documents list, keeping the first time each item was sent:
    /// one statement.
    /// - Returns: the rows written now (not those sent before, whose first row stays),
    ///   to be kept (``keepSent(_:)``) once the transaction is committed.
    func recordSent(_ items: [SentItem], _ db: some PostgresQuerying) async throws -> [SentItem] {
        guard !items.isEmpty else { return [] }
        var values = ColumnArrays([.text, .text, .text, .text, .timestamptz, .timestamptz, .int8, .timestamptz])
        for item in items {
            try values.row {
                try $0.append(site)
                try $0.append(item.zone)
                try $0.append(item.item)
                try $0.append(item.kind.rawValue)
                try $0.append(item.startAt)
                try $0.append(item.endAt)
                try $0.append(item.durationMs)
                try $0.append(item.firstSentAt)
            }
        }
        var binds = PostgresBindings()
        let inserted = Set(try await db.rows(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO sent_item (site, zone, item, kind, start_at, end_at, duration_ms, first_sent_at)
                    SELECT * FROM \(values.unnest(binding: &binds))
                    ON CONFLICT DO NOTHING RETURNING zone, item
                    """,
                binds: binds),
            logger
        ).map { try $0.value("zone", as: String.self) + "\u{0}" + $0.value("item", as: String.self) })
        return items.filter { inserted.contains($0.zone + "\u{0}" + $0.item) }
    }

    /// Keeps rows of `sent_item` known to be committed, for ``sentItems(zone:items:)``:
    /// what a hamlet was just sent is what its receivers report on next.
    func keepSent(_ written: [SentItem]) {
        knownSent.withLock { known in
            if known.count + written.count > Self.knownSentLimit { known.removeAll() }
            for item in written { known[item.zone + "\u{0}" + item.item] = item }
        }
    }

    // MARK: Refused events

    @discardableResult
    public func recordRefused(_ refused: [RefusedEvent]) async throws -> [Bool] {
        guard !refused.isEmpty else { return [] }
        return try await client.transaction(logger) { db in
            var new: [Bool] = []
            for event in refused {
                let kept = try await db.changed(
                    """
                    INSERT INTO refused_event (site, device, digest, event_id, received_at, reason, detail, payload_bytes, excerpt)
                    VALUES (\(self.site), \(event.device), \(event.digest), \(event.eventID), \(event.receivedAt), \(event.reason),
                        \(event.detail), \(event.payloadBytes), \(event.excerpt))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, self.logger)
                new.append(kept)
                guard kept else { continue }
                try await db.run(
                    """
                    INSERT INTO device_refusal AS r (site, device, reason, count, last_at, last_detail)
                    VALUES (\(self.site), \(event.device), \(event.reason), 1, \(event.receivedAt), \(event.detail))
                    ON CONFLICT (site, device, reason) DO UPDATE SET count = r.count + 1, last_at = excluded.last_at,
                        last_detail = excluded.last_detail
                    """, self.logger)
            }
            for device in Set(refused.map(\.device)) {
                try await db.run(
                    """
                    DELETE FROM refused_event WHERE site = \(self.site) AND device = \(device) AND sequence NOT IN
                        (SELECT sequence FROM refused_event WHERE site = \(self.site) AND device = \(device)
                         ORDER BY received_at DESC, sequence DESC LIMIT \(RefusedEvent.keptPerDevice))
                    """, self.logger)
            }
            return new
        }
    }

    public func refusedEvents(device: String?) async throws -> [RefusedEvent] {
        try await client.rows(
            """
            SELECT * FROM refused_event WHERE site = \(site) AND (\(device)::text IS NULL OR device = \(device))
            ORDER BY received_at DESC, sequence DESC
            """, logger
        ).map { row in
            var event = RefusedEvent(
                device: try row.value("device"), eventID: try row.value("event_id"), digest: try row.value("digest"),
                receivedAt: try row.value("received_at"), reason: try row.value("reason"), detail: try row.value("detail"),
                payload: Data())
            event.payloadBytes = try row.value("payload_bytes")
            event.excerpt = try row.value("excerpt")
            return event
        }
    }

    public func refusalCounts() async throws -> [DeviceRefusalCount] {
        try await client.rows("SELECT * FROM device_refusal WHERE site = \(site) ORDER BY device, reason", logger).map { row in
            DeviceRefusalCount(
                device: try row.value("device"), reason: try row.value("reason"), count: try row.value("count"),
                lastAt: try row.value("last_at"), lastDetail: try row.value("last_detail"))
        }
    }
}
