import Foundation
import LoaProtocol
public import LoaTransparency

/// Log entries (`LogQuery` results) as a terminal table, CSV or JSON, for `loa log list`.
public struct LogListing: Sendable {
    /// Names and local times, as in reports.
    public var rendering: ReportRendering

    /// A listing with the report's names and time zone.
    public init(rendering: ReportRendering = ReportRendering()) {
        self.rendering = rendering
    }

    /// Table headings, Vietnamese first.
    public static let header = [
        "Mục (entry)", "Thời điểm (at)", "Sự kiện (kind)", "Thôn (hamlet)", "Thiết bị (device)",
        "Thông báo (announcement)", "Loại tin (category)", "Chi tiết (detail)",
    ]

    /// A fixed-width table and a count.
    public func table(_ entries: [LoggedEntry]) -> String {
        let rows = entries.map { entry -> [String] in
            let values = Self.values(entry)
            let detail = [
                values.startOffsetMs.flatMap(Double.init).map { String(format: "lệch (offset) %+.1f ms", $0) },
                values.playedMs.map { "phát (played) \($0) ms" }, values.reason,
                entry.content.otherReason,
            ].compactMap { $0 }.joined(separator: "; ")
            return [
                String(entry.index), entry.instant.map(rendering.time.dateTime) ?? "", values.kind,
                values.hamlets.map(rendering.hamletName).joined(separator: ", "), values.device ?? "",
                entry.announcement?.title ?? values.item ?? "", entry.announcement.map { rendering.categoryName($0.category) } ?? "",
                detail,
            ]
        }
        return TextTable.render(header: Self.header, rows: rows) + "\n\(entries.count) mục (entries)\n"
    }

    /// RFC 4180 CSV, UTF-8, one record per entry, instants RFC 3339 UTC as logged.
    public func csv(_ entries: [LoggedEntry]) -> String {
        CSV.render(
            header: ["index", "type", "kind", "at", "hamlet", "device", "item", "announcement", "category", "title",
                     "startOffsetMs", "playedMs", "reason", "receivedAt", "id"],
            records: entries.map { entry in
                let values = Self.values(entry)
                return [
                    String(entry.index), entry.fields["type"] ?? "", values.kind,
                    entry.fields["at"] ?? entry.fields["startAt"] ?? "", values.hamlets.joined(separator: ","),
                    values.device ?? "", values.item ?? "", entry.announcement?.id ?? "",
                    entry.announcement?.category ?? "", entry.announcement?.title ?? "", values.startOffsetMs ?? "",
                    values.playedMs ?? "", values.reason ?? "", entry.fields["receivedAt"] ?? "", entry.fields["id"] ?? "",
                ]
            })
    }

    /// A JSON array: per entry its `index`, its `entry` fields exactly as logged,
    /// and for an event the `announcement` entry it belongs to, when logged.
    public func json(_ entries: [LoggedEntry]) throws -> String {
        struct Row: Encodable {
            var index: UInt64
            var entry: [String: String]
            var announcement: LoggedAnnouncement?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(WireCoding.format(date))
        }
        let rows = entries.map { entry in
            Row(index: entry.index, entry: entry.fields, announcement: entry.event == nil ? nil : entry.announcement)
        }
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }

    private struct Values {
        var kind: String
        var hamlets: [String]
        var device: String?
        var item: String?
        var startOffsetMs: String?
        var playedMs: String?
        var reason: String?
    }

    private static func values(_ entry: LoggedEntry) -> Values {
        let fields = entry.fields
        switch entry.content {
        case .event(let event, _):
            return Values(
                kind: event.kind.rawValue, hamlets: [event.zone], device: event.device, item: event.item,
                startOffsetMs: fields["startOffsetMs"], playedMs: fields["playedMs"], reason: event.reason)
        case .announcement(let announcement):
            return Values(kind: "announcement", hamlets: announcement.hamlets)
        case .scheduleApplied(let applied):
            return Values(
                kind: "schedule-applied", hamlets: [], item: "phiên bản (version) \(applied.version)",
                reason: "áp dụng bởi (applied by) \(applied.by); \(applied.programmes.count) chương trình (programmes)")
        case .approval(let approval):
            return Values(
                kind: "approval", hamlets: [], item: approval.programme,
                reason: "duyệt bởi (approved by) \(approval.by); phiên bản (version) \(approval.version)")
        case .other(let type, _):
            return Values(kind: type, hamlets: [])
        }
    }
}

extension LoggedEntry.Content {
    /// Why an entry is listed as `.other`.
    var otherReason: String? {
        if case .other(_, let reason) = self { reason } else { nil }
    }
}
