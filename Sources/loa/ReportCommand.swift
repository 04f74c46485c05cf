import ArgumentParser
import Foundation
import LoaDomain
import LoaReports
import LoaStore
import LoaFiles

/// `loa report`: broadcasts planned vs played per category and hamlet, minutes
/// aired, the share of receivers that confirmed, failures and misses with
/// reasons — computed only from the transparency log's entries.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Báo cáo phát thanh theo loại tin và thôn (broadcast report per category and hamlet, from the log).")

    @OptionGroup var source: LogSource
    @Option(help: "Announcements airing from this date (2026-11-01, commune time) or instant (RFC 3339)")
    var from: String?
    @Option(help: "Up to this date (inclusive) or instant (exclusive)")
    var to: String?
    @Option(help: "Only this hamlet (thôn) id")
    var hamlet: String?
    @Option(help: "Only this category: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
    var category: String?
    @Option(help: "table, csv, json or html (a printable page)")
    var format: String = OutputFormat.table.rawValue
    @Option(help: "Write to this file instead of standard output")
    var output: String?

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format '\(format)' is not one of: table, csv, json, html")
        }
        if let category, Category(rawValue: category) == nil {
            throw ValidationError("--category '\(category)' is not one of: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let place = try source.resolve()
        let builder = ReportBuilder(
            from: try place.instant(from, option: "--from"), to: try place.instant(to, option: "--to", endOfDay: true),
            hamlet: hamlet, category: category,
            schedules: try LogAudit.scheduleVersions(databaseAt: place.database))
        // The checkpoint first: the entries read after it include all it covers.
        let checkpoint = try LogAudit.headCheckpoint(databaseAt: place.database)
        let report = builder.build(try LogAudit.entries(databaseAt: place.database), checkpoint: checkpoint)
        let rendering = place.rendering
        let text = switch OutputFormat(rawValue: format) ?? .table {
        case .table: rendering.table(report)
        case .csv: rendering.csv(report)
        case .json: try rendering.json(report)
        case .html: rendering.html(report, communeName: place.communeName)
        }
        if let output {
            try DurableFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
            print("Đã ghi báo cáo / report written: \(output)")
        } else {
            print(text, terminator: "")
        }
    }
}
