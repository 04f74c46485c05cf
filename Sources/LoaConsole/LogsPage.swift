import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaReports
import LoaStore

/// Logs and reports: the transparency log's entries filtered by period, hamlet,
/// category and kind, and the broadcast report of the same period; each
/// downloadable as CSV, the report also as a standalone HTML page.
struct LogsPage {
    let context: ConsoleContext
    let request: Request

    private var controller: Controller { context.controller }

    func render() async throws -> Response {
        let query = request.uri.queryParameters
        let clock = controller.configuration.wallClock
        let today = clock.local(controller.now).date
        let from = query.get("from").flatMap(DateField.parse) ?? today.adding(days: -6)
        let to = query.get("to").flatMap(DateField.parse) ?? today
        let page = max(1, query.get("page").flatMap { Int($0) } ?? 1)
        let hamlet = query.get("hamlet").flatMap { $0.isEmpty ? nil : $0 }
        let category = query.get("category").flatMap { $0.isEmpty ? nil : $0 }
        let kind = query.get("kind").flatMap { $0.isEmpty ? nil : $0 }
        let start = clock.instant(from, LocalTime(hour: 0, minute: 0)!)
        let end = clock.instant(to.adding(days: 1), LocalTime(hour: 0, minute: 0)!)
        let entries = try await controller.store.logEntries(matching: LogQuery(
            hamlet: hamlet, category: category, from: start, to: end, kinds: kind.map { [$0] } ?? []))
        let rendering = ReportRendering(
            hamletNames: context.hamletNames,
            time: ReportTimeFormat(timeZone: clock.timeZone))
        var titles: [String: String] = [:]
        for version in try await controller.store.scheduleVersions() {
            for programme in version.schedule.programmes { titles[programme.id] = programme.title }
            for notice in version.schedule.notices { titles[notice.id] = notice.title }
        }
        let log = OperatorLog(context: context, titles: titles)
        let reportBuilder = ReportBuilder(
            from: start, to: end, hamlet: hamlet, category: category,
            schedules: try await controller.store.scheduleVersions().map(\.schedule))
        let checkpoint = try await controller.store.latestCheckpoint()
        switch query.get("download") {
        case "log-csv":
            return Self.download(log.spreadsheetCSV(entries.map(log.row)), name: "nhat-ky-\(from)-\(to).csv", type: "text/csv; charset=utf-8")
        case "report-csv":
            // With a byte-order mark, as the log's CSV: spreadsheet programs then read the diacritics right.
            let report = await reportBuilder.build(try controller.store.logEntries(), checkpoint: checkpoint)
            return Self.download("\u{FEFF}" + rendering.csv(report), name: "bao-cao-\(from)-\(to).csv", type: "text/csv; charset=utf-8")
        case "report-html":
            let report = await reportBuilder.build(try controller.store.logEntries(), checkpoint: checkpoint)
            return Self.download(
                rendering.html(report, communeName: controller.configuration.site.name), name: "bao-cao-\(from)-\(to).html",
                type: "text/html; charset=utf-8")
        default: break
        }
        var filterItems = URLComponents()
        filterItems.queryItems = [
            URLQueryItem(name: "from", value: from.description), URLQueryItem(name: "to", value: to.description),
            URLQueryItem(name: "hamlet", value: hamlet ?? ""), URLQueryItem(name: "category", value: category ?? ""),
            URLQueryItem(name: "kind", value: kind ?? ""),
        ]
        let filters = filterItems.percentEncodedQuery ?? ""
        // Newest first, a page at a time.
        let pageCount = max(1, (entries.count + Self.pageSize - 1) / Self.pageSize)
        let shown = min(page, pageCount)
        let rows = entries.reversed().dropFirst((shown - 1) * Self.pageSize).prefix(Self.pageSize).map(log.row)
        let hamlets = controller.configuration.site.hamlets
        let pager: HTML = pageCount == 1 ? "" : """
            <nav class="pages" aria-label="\(context(.pages))">
            \(shown > 1 ? HTML("<a href=\"/console/logs?\(filters)&amp;page=\(shown - 1)\" rel=\"prev\">\(context(.newerEntries))</a>") : HTML(""))
            <span>\(context(.page)) \(shown) / \(pageCount)</span>
            \(shown < pageCount ? HTML("<a href=\"/console/logs?\(filters)&amp;page=\(shown + 1)\" rel=\"next\">\(context(.olderEntries))</a>") : HTML(""))
            </nav>
            """
        let body: HTML = """
            <form method="get" action="/console/logs" class="card filters">
            <label>\(context(.from)) \(DateField.input(id: "from", value: from.description))</label>
            <label>\(context(.until)) \(DateField.input(id: "to", value: to.description))</label>
            <label>\(context(.hamlet)) <select name="hamlet"><option value="">\(context(.allOptions))</option>\(hamlets.map { "<option value=\"\($0.id)\"\(hamlet == $0.id ? HTML(" selected") : HTML(""))>\($0.name)</option>" as HTML })</select></label>
            <label>\(context(.category)) <select name="category"><option value="">\(context(.allOptions))</option>\(LoaDomain.Category.allCases.map { "<option value=\"\($0.rawValue)\"\(category == $0.rawValue ? HTML(" selected") : HTML(""))>\(context.name($0))</option>" as HTML })</select></label>
            <label>\(context(.event)) <select name="kind"><option value="">\(context(.allOptions))</option>\(LogQuery.knownKinds.map { "<option value=\"\($0)\"\(kind == $0 ? HTML(" selected") : HTML(""))>\(context.name(logKind: $0))</option>" as HTML })</select></label>
            <button type="submit" class="secondary">\(context(.filter))</button>
            </form>
            <p class="actions">
            <a href="/console/logs?\(filters)&amp;download=log-csv" download>\(context(.downloadLogCSV))</a>
            <a href="/console/logs?\(filters)&amp;download=report-csv" download>\(context(.downloadReportCSV))</a>
            <a href="/console/logs?\(filters)&amp;download=report-html" download>\(context(.downloadReportHTML))</a>
            </p>
            <section><h2>\(context(.logEntries)) (\(entries.count))</h2>
            \(rows.isEmpty ? HTML("<p class=\"muted\">\(context(.noEntries))</p>") : log.table(Array(rows)).html)
            \(pager)
            </section>
            """
        return Layout.page(context, title: context(.logs), current: .logs, body: body)
    }

    /// Entries on one page of the table.
    static let pageSize = 50

    private static func download(_ text: String, name: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
