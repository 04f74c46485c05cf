import Foundation
import LoaDomain
import LoaProtocol
import LoaReports
import LoaTransparency

/// The transparency log as the operator reads it: one row per entry in words —
/// local time, what happened, where, on which receiver, which programme by its
/// title, and the details (who applied or approved by name, the start offset and
/// seconds played) — for the log page's table and its spreadsheet CSV.
struct OperatorLog {
    /// One entry in words.
    struct Row {
        var index: UInt64
        var at: String
        var kind: String
        var hamlets: String
        var device: String
        var subject: String
        var detail: String
    }

    let context: ConsoleContext
    /// Programme and notice titles by id, from every schedule version.
    let titles: [String: String]

    /// The row of `entry`.
    func row(_ entry: LoggedEntry) -> Row {
        let hamletNames = context.hamletNames
        let time = entry.instant.map { context.time($0) } ?? ""
        switch entry.content {
        case .event(let event, _):
            let programme = OccurrenceID(event.item).map(\.programme)
            let subject = entry.announcement?.title ?? programme.flatMap { titles[$0] } ?? event.item
            var detail: [String] = []
            if let offset = event.startOffsetMs {
                detail.append("\(context(.offset)) \(offset >= 0 ? "+" : "−")\(context.decimal(abs(offset))) ms")
            }
            if let played = event.playedMs { detail.append("\(context(.played)) \(context.decimal(Double(played) / 1000)) \(context(.seconds))") }
            if let reason = event.reason { detail.append(context.inLanguage(reason)) }
            return Row(
                index: entry.index, at: time, kind: context.name(logKind: event.kind.rawValue),
                hamlets: hamletNames[event.zone] ?? event.zone, device: context.device(event.device), subject: subject,
                detail: detail.joined(separator: " · "))
        case .announcement(let announcement):
            return Row(
                index: entry.index, at: time, kind: context.name(logKind: "announcement"),
                hamlets: announcement.hamlets.map { hamletNames[$0] ?? $0 }.joined(separator: ", "), device: "",
                subject: announcement.title, detail: context.time(announcement.startAt))
        case .scheduleApplied(let applied):
            return Row(
                index: entry.index, at: time, kind: context.name(logKind: "schedule-applied"), hamlets: "", device: "",
                subject: "\(context(.version)) \(applied.version)",
                detail: "\(context(.appliedBy)) \(context.person(applied.by)) · \(applied.programmes.count) \(context(.programmesCount))")
        case .approval(let approval):
            return Row(
                index: entry.index, at: time, kind: context.name(logKind: "approval"), hamlets: "", device: "",
                subject: titles[approval.programme] ?? approval.programme,
                detail: "\(context(.approvedBy)): \(context.person(approval.by)) · \(context(.version)) \(approval.version)")
        case .other(let type, let reason):
            return Row(index: entry.index, at: time, kind: type, hamlets: "", device: "", subject: "", detail: reason)
        }
    }

    /// The column headings in the page's language.
    var headings: [String] {
        [.entryNumber, .at, .event, .hamlet, .receiver, .programmeOrNotice, .details].map { context($0) }
    }

    /// A page of rows as a table.
    func table(_ rows: [Row]) -> DataTable {
        DataTable(headings: headings, cells: rows.map { row in
            ["\(String(row.index))", "\(row.at)", "\(row.kind)", "\(row.hamlets)", "\(row.device)", "\(row.subject)", "\(row.detail)"]
        }, classes: "log")
    }

    /// The rows as CSV for a spreadsheet: a UTF-8 byte-order mark first (so spreadsheet
    /// programs read the diacritics right), headings in the page's language, local times.
    func spreadsheetCSV(_ rows: [Row]) -> String {
        "\u{FEFF}" + CSV.render(header: headings, records: rows.map { row in
            [String(row.index), row.at, row.kind, row.hamlets, row.device, row.subject, row.detail]
        })
    }
}
