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
        let from = query.get("from").flatMap(LocalDate.init(iso:)) ?? today.adding(days: -6)
        let to = query.get("to").flatMap(LocalDate.init(iso:)) ?? today
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
        let listing = LogListing(rendering: rendering)
        let reportBuilder = ReportBuilder(
            from: start, to: end, hamlet: hamlet, category: category,
            schedules: try await controller.store.scheduleVersions().map(\.schedule))
        let checkpoint = try await controller.store.latestCheckpoint()
        switch query.get("download") {
        case "log-csv":
            return Self.download(listing.csv(entries), name: "nhat-ky-\(from)-\(to).csv", type: "text/csv; charset=utf-8")
        case "report-csv":
            let report = await reportBuilder.build(try controller.store.logEntries(), checkpoint: checkpoint)
            return Self.download(rendering.csv(report), name: "bao-cao-\(from)-\(to).csv", type: "text/csv; charset=utf-8")
        case "report-html":
            let report = await reportBuilder.build(try controller.store.logEntries(), checkpoint: checkpoint)
            return Self.download(
                rendering.html(report, communeName: controller.configuration.site.name), name: "bao-cao-\(from)-\(to).html",
                type: "text/html; charset=utf-8")
        default: break
        }
        let filters = "from=\(from)&to=\(to)&hamlet=\(hamlet ?? "")&category=\(category ?? "")&kind=\(kind ?? "")"
        let hamlets = controller.configuration.site.hamlets
        let body: HTML = """
            <form method="get" action="/console/logs" class="card filters">
            <label>\(context(.from)) <input type="date" name="from" value="\(from.description)"></label>
            <label>\(context(.until)) <input type="date" name="to" value="\(to.description)"></label>
            <label>\(context(.hamlet)) <select name="hamlet"><option value="">\(context(.allOptions))</option>\(hamlets.map { "<option value=\"\($0.id)\"\(hamlet == $0.id ? HTML(" selected") : HTML(""))>\($0.name)</option>" as HTML })</select></label>
            <label>\(context(.category)) <select name="category"><option value="">\(context(.allOptions))</option>\(LoaDomain.Category.allCases.map { "<option value=\"\($0.rawValue)\"\(category == $0.rawValue ? HTML(" selected") : HTML(""))>\(context.name($0))</option>" as HTML })</select></label>
            <label>\(context(.state)) <select name="kind"><option value="">\(context(.allOptions))</option>\(LogQuery.knownKinds.map { "<option value=\"\($0)\"\(kind == $0 ? HTML(" selected") : HTML(""))>\(context.name(logKind: $0))</option>" as HTML })</select></label>
            <button type="submit" class="secondary">\(context(.filter))</button>
            </form>
            <p class="actions">
            <a href="/console/logs?\(filters)&download=log-csv" download>\(context(.downloadLogCSV))</a>
            <a href="/console/logs?\(filters)&download=report-csv" download>\(context(.downloadReportCSV))</a>
            <a href="/console/logs?\(filters)&download=report-html" download>\(context(.downloadReportHTML))</a>
            </p>
            <section><h2>\(context(.logEntries)) (\(entries.count))</h2>
            <pre class="log">\(listing.table(Array(entries.suffix(500))))</pre></section>
            """
        return Layout.page(context, title: context(.logs), current: .logs, body: body)
    }

    private static func download(_ text: String, name: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
