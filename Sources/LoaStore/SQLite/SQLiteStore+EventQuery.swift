import Foundation
import GRDB
public import LoaProtocol

extension SQLiteStore {
    /// Stored events that match `query`, in arrival order.
    public func events(matching query: EventQuery) async throws -> [DeviceEvent] {
        try await database.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let item = query.item { conditions.append("item = ?"); arguments += [item] }
            if let device = query.device { conditions.append("device = ?"); arguments += [device] }
            if let hamlet = query.hamlet { conditions.append("zone = ?"); arguments += [hamlet] }
            if !query.kinds.isEmpty {
                let kinds = query.kinds.map(\.rawValue).sorted()
                conditions.append("kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))")
                arguments += StatementArguments(kinds)
            }
            if let from = query.from { conditions.append("at >= ?"); arguments += [from] }
            if let to = query.to { conditions.append("at < ?"); arguments += [to] }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let limit = query.limit.map { " LIMIT \(max($0, 0))" } ?? ""
            return try Row.fetchAll(db, sql: "SELECT * FROM event \(whereClause) ORDER BY sequence\(limit)", arguments: arguments)
                .map(Self.event)
        }
    }

    /// How many events of each kind are stored (for the metrics).
    public func eventCounts() async throws -> [DeviceEvent.Kind: Int] {
        try await database.read { db in
            var counts: [DeviceEvent.Kind: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM event GROUP BY kind") {
                if let kind = DeviceEvent.Kind(rawValue: row["kind"]) { counts[kind] = row["n"] }
            }
            return counts
        }
    }

    static func event(_ row: Row) -> DeviceEvent {
        DeviceEvent(
            id: row["id"], device: row["device"], site: row["site"], zone: row["zone"], item: row["item"],
            kind: DeviceEvent.Kind(rawValue: row["kind"]) ?? .failed, at: row["at"],
            measuredStartAt: row["measuredStartAt"], startOffsetMs: row["startOffsetMs"],
            playedMs: row["playedMs"], reason: row["reason"], clockOffsetMs: row["clockOffsetMs"],
            clockUncertaintyMs: row["clockUncertaintyMs"], soundHeard: row["soundHeard"], soundScore: row["soundScore"])
    }
}
