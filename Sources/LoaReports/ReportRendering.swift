import Foundation
import LoaDomain
import LoaProtocol

/// A report as a terminal table, CSV or JSON (`ReportHTML` makes the printable page).
public struct ReportRendering: Sendable {
    /// Hamlet names by id (from the controller's settings); ids are shown when absent.
    public var hamletNames: [String: String]
    /// Local times for people.
    public var time: ReportTimeFormat

    /// A renderer with hamlet names and the commune's time zone.
    public init(hamletNames: [String: String] = [:], time: ReportTimeFormat = ReportTimeFormat()) {
        self.hamletNames = hamletNames
        self.time = time
    }

    /// The column headings, Vietnamese first.
    public static let header = [
        "Loại tin (category)", "Thôn (hamlet)", "Kế hoạch (planned)", "Đã phát (played)", "Số phút (minutes aired)",
        "Loa trong thôn (receivers)", "Xác nhận (confirmed)", "Tỉ lệ xác nhận (share confirmed)",
        "Lỗi (failures)", "Bỏ lỡ (misses)", "Bị ngắt (preempted)", "Lý do (reasons)",
    ]

    /// The cells of one row.
    public func cells(_ row: ReportRow) -> [String] {
        [
            categoryName(row.category), hamletName(row.hamlet), String(row.planned), String(row.played),
            String(format: "%.1f", row.airedMinutes), String(row.receivers),
            "\(row.confirmations)/\(row.expectedConfirmations)",
            row.confirmedShare.map { String(format: "%.0f%%", $0 * 100) } ?? "—",
            String(row.failures), String(row.misses), String(row.preemptions),
            row.reasons.map { "\($0.kind): \($0.reason) ×\($0.count)" }.joined(separator: "; "),
        ]
    }

    /// The category's Vietnamese name and id: `Công khai (disclosure)`.
    public func categoryName(_ category: String) -> String {
        Category(rawValue: category).map { "\($0.vietnameseName) (\(category))" } ?? category
    }

    /// The hamlet's name and id when the name is known: `Thôn Đông (thon-a)`.
    public func hamletName(_ hamlet: String) -> String {
        hamletNames[hamlet].map { "\($0) (\(hamlet))" } ?? hamlet
    }

    /// The period in words.
    public func period(_ report: Report) -> String {
        let from = report.from.map(time.dateTime) ?? "đầu nhật ký (start of the log)"
        let to = report.to.map(time.dateTime) ?? "cuối nhật ký (end of the log)"
        return "\(from) → \(to)"
    }

    /// A terminal table, then the incidents and the Law 10/2022 checks and quarterly list.
    public func table(_ report: Report) -> String {
        var out = "Báo cáo phát thanh (broadcast report): \(period(report))\n"
        out += "Tính từ \(report.logEntries) mục nhật ký (computed from \(report.logEntries) log entries)\n\n"
        out += TextTable.render(header: Self.header, rows: report.rows.map(cells)) + "\n"
        if !report.incidents.isEmpty {
            out += "\nSự cố (incidents)\n"
            out += TextTable.render(header: Self.incidentHeader, rows: report.incidents.map(incidentCells)) + "\n"
        }
        if report.eventsWithoutAnnouncement > 0 {
            out += "\n\(report.eventsWithoutAnnouncement) sự kiện không có mục thông báo trong nhật ký (events without an announcement entry)\n"
        }
        return out + law10Table(report)
    }

    /// Incident headings.
    public static let incidentHeader = [
        "Thời điểm (at)", "Loại tin (category)", "Thôn (hamlet)", "Thông báo (announcement)", "Thiết bị (device)",
        "Sự kiện (event)", "Lý do (reason)", "Mục (entry)",
    ]

    /// The cells of one incident.
    public func incidentCells(_ incident: ReportIncident) -> [String] {
        [
            time.dateTime(incident.at), categoryName(incident.category), hamletName(incident.hamlet), incident.title,
            incident.device, incident.kind, incident.reason, String(incident.logIndex),
        ]
    }

    /// One CSV record per category and hamlet (RFC 4180, UTF-8); reasons in one field.
    /// When the report has Law 10/2022 checks, a blank line and their records follow (`law10CSV`).
    public func csv(_ report: Report) -> String {
        let law10 = report.law10.checks.isEmpty ? "" : "\r\n" + law10CSV(report)
        return broadcastCSV(report) + law10
    }

    private func broadcastCSV(_ report: Report) -> String {
        CSV.render(
            header: ["category", "hamlet", "planned", "played", "airedMs", "receivers", "confirmations",
                     "expectedConfirmations", "confirmedShare", "failures", "misses", "preemptions", "reasons"],
            records: report.rows.map { row in
                [
                    row.category, row.hamlet, String(row.planned), String(row.played), String(row.airedMs),
                    String(row.receivers), String(row.confirmations), String(row.expectedConfirmations),
                    row.confirmedShare.map { String(format: "%.4f", $0) } ?? "",
                    String(row.failures), String(row.misses), String(row.preemptions),
                    row.reasons.map { "\($0.kind): \($0.reason) ×\($0.count)" }.joined(separator: "; "),
                ]
            })
    }

    /// The whole report as JSON (keys sorted, instants RFC 3339 UTC).
    public func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(WireCoding.format(date))
        }
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
