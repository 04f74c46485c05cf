import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaProtocol
import LoaReports
import LoaStore
import LoaTransparency

/// The citizens' page (no login): what the loudspeakers actually announced in each
/// hamlet over a period, every disclosure with its status under Law 10/2022 (on
/// time, enough days on the loudspeakers and the board), and how anyone can check
/// the signed log for themselves, with this controller's real address and key.
struct TransparencyPage {
    let context: ConsoleContext
    let request: Request

    private var controller: Controller { context.controller }

    func render() async throws -> Response {
        let clock = controller.configuration.wallClock
        let query = request.uri.queryParameters
        let today = clock.local(controller.now).date
        let from = query.get("from").flatMap(DateField.parse) ?? today.adding(days: -29)
        let to = query.get("to").flatMap(DateField.parse) ?? today
        let hamlet = query.get("hamlet").flatMap { id in context.hamletNames[id] == nil ? nil : id }
        let start = clock.instant(from, LocalTime(hour: 0, minute: 0)!)
        let end = clock.instant(to.adding(days: 1), LocalTime(hour: 0, minute: 0)!)
        let schedules = try await controller.store.scheduleVersions().map(\.schedule)
        // A page anyone may open reads the whole log: admitted as the API's heavy reads are
        // (a few at a time, 503 beyond), so it cannot starve the receivers' media and MQTT.
        let store = controller.store
        let (report, aired) = try await controller.requestWork.admit {
            let report = ReportBuilder(from: start, to: end, hamlet: hamlet, category: nil, schedules: schedules)
                .build(try await store.logEntries())
            let aired = try await store.logEntries(matching: LogQuery(
                hamlet: hamlet, from: start, to: end, kinds: [DeviceEvent.Kind.finished.rawValue]))
            return (report, aired)
        }
        let hamlets = controller.configuration.site.hamlets
        let body: HTML = """
            <p>\(context(.publicIntro))</p>
            <form method="get" action="/transparency" class="card filters">
            <label>\(context(.from)) \(DateField.input(id: "from", value: from.description))</label>
            <label>\(context(.until)) \(DateField.input(id: "to", value: to.description))</label>
            <label>\(context(.hamlet)) <select name="hamlet"><option value="">\(context(.allOptions))</option>\(hamlets.map { "<option value=\"\($0.id)\"\(hamlet == $0.id ? HTML(" selected") : HTML(""))>\($0.name)</option>" as HTML })</select></label>
            <button type="submit" class="secondary">\(context(.filter))</button>
            </form>
            <section id="aired"><h2>\(context(.airedTitle)) \(context.date(from)) – \(context.date(to))</h2>
            \(airedList(aired, schedules: schedules, hamlets: hamlet.map { [$0] } ?? hamlets.map(\.id)))
            </section>
            <section id="disclosures"><h2>\(context(.disclosures))</h2>
            \(disclosures(report.law10))
            </section>
            \(try await checkYourself())
            """
        return Layout.page(context, title: context(.publicTitle), current: nil, body: body)
    }

    /// Per hamlet, what aired to the end on its loudspeakers: each title, how many
    /// times, for how long, and when last.
    private func airedList(_ entries: [LoggedEntry], schedules: [BroadcastSchedule], hamlets: [String]) -> HTML {
        var titles: [String: (title: String, category: LoaDomain.Category)] = [:]
        for schedule in schedules {
            for programme in schedule.programmes { titles[programme.id] = (programme.title, programme.category) }
        }
        struct Aired { var title: String; var category: String; var broadcasts: Set<String> = []; var seconds = 0.0; var last = Date.distantPast }
        var byHamlet: [String: [String: Aired]] = [:]
        for entry in entries {
            guard let event = entry.event else { continue }
            let known = OccurrenceID(event.item).flatMap { titles[$0.programme] }
            let title = entry.announcement?.title ?? known?.title ?? event.item
            let category = entry.announcement.flatMap { LoaDomain.Category(rawValue: $0.category) } ?? known?.category
            var aired = byHamlet[event.zone, default: [:]][title] ?? Aired(title: title, category: category.map(context.name) ?? "")
            // One airing in a hamlet counts once, however many of its receivers played it.
            if aired.broadcasts.insert(event.item).inserted { aired.seconds += Double(event.playedMs ?? 0) / 1000 }
            aired.last = max(aired.last, event.at)
            byHamlet[event.zone, default: [:]][title] = aired
        }
        let sections = hamlets.map { id -> HTML in
            let rows = (byHamlet[id] ?? [:]).values.sorted { $0.last > $1.last }.map { aired -> [HTML] in
                [
                    "\(aired.title)", "\(aired.category)", "\(aired.broadcasts.count)",
                    "\(context.duration(seconds: Int(aired.seconds.rounded())))", "\(context.time(aired.last))",
                ]
            }
            let table = DataTable(headings: [.title, .category, .timesAired, .duration, .lastAired].map { context($0) }, cells: rows)
            return """
                <h3>\(context.hamletNames[id] ?? id)</h3>
                \(rows.isEmpty ? HTML("<p class=\"muted\">\(context(.nothingAired))</p>") : table.html)
                """
        }
        return HTML(joining: sections)
    }

    /// Every disclosure judged under Law 10: decided when, due by when, first disclosed
    /// when, and per hamlet the days on the loudspeakers and on the board against those required.
    private func disclosures(_ section: Law10DisclosureSection) -> HTML {
        guard !section.checks.isEmpty else {
            return "<p class=\"muted\">\(section.pending.map(context.inLanguage) ?? context(.noDisclosures))</p>"
        }
        return HTML(joining: section.checks.map { check -> HTML in
            let status: HTML = check.passes
                ? "<span class=\"badge ok\">✓ \(context(.law10Met))</span>" : "<span class=\"badge bad\">✗ \(context(.law10NotMet))</span>"
            let rows = check.hamlets.map { hamlet -> [HTML] in
                [
                    "\(hamlet.name)", "\(days(hamlet.loudspeaker))", "\(days(hamlet.board))",
                    hamlet.passes ? "<span class=\"badge ok\">\(context(.checkPassed))</span>"
                        : "<span class=\"badge bad\">\(context(.checkFailed))</span>\(HTML(joining: hamlet.problems.map { "<br><span class=\"muted\">\(context.inLanguage($0))</span>" as HTML }))",
                ]
            }
            return """
                <article class="disclosure card">
                <h3>\(check.title)</h3>
                <p>\(status) · \(context(.disclosureItem)): \(check.item) · \(context(.decision)): \(context.date(check.decisionDate))
                · \(context(.dueBy)): \(context.date(check.dueBy)) · \(context(.firstDisclosed)): \(check.firstDisclosed.map { context.date($0) } ?? context(.notYet))
                \(check.onTime ? HTML("") : HTML(" <span class=\"badge bad\">\(context(.late))</span>"))</p>
                \(DataTable(headings: [.hamlet, .onLoudspeakers, .onBoard, .status].map { context($0) }, cells: rows).html)
                </article>
                """
        })
    }

    /// Days a disclosure was carried, against the days required.
    private func days(_ channel: Law10ChannelDays) -> String {
        let required = channel.required.map { " / \($0)" } ?? ""
        return "\(channel.longestRun)\(required) \(context(.consecutiveDays))"
    }

    /// How to check the log, with this controller's address and key, step by step.
    private func checkYourself() async throws -> HTML {
        let base = Self.baseURL(of: request, fallback: controller.configuration.httpAddress)
        let key = controller.store.verifierKey.text
        let note = try await controller.store.latestCheckpoint()
        let checkpoint = note.flatMap { try? Checkpoint.open($0, keys: [controller.store.verifierKey]) }
        let state: HTML = checkpoint.map { checkpoint in
            """
            <p>\(context(.checkpointSays)) <strong>\(checkpoint.size)</strong> \(context(.entries)); \(context(.rootHash)):
            <code>\(checkpoint.rootHash.map { String(format: "%02x", $0) }.joined())</code></p>
            """
        } ?? "<p class=\"muted\">\(context(.noCheckpoint))</p>"
        let last = checkpoint.map { $0.size > 0 ? $0.size - 1 : 0 } ?? 0
        return """
            <section id="check"><h2>\(context(.howToVerify))</h2>
            \(state)
            <ol class="steps">
            <li>\(context(.stepCheckpoint))<pre>curl \(base)/log/checkpoint</pre></li>
            <li>\(context(.stepKey))<pre>\(key)</pre></li>
            <li>\(context(.stepProve))<pre>loa log prove \(last) --controller \(base) --key "\(key)"</pre></li>
            <li>\(context(.stepConsistency))<pre>loa log consistency KÍCH-THƯỚC-CŨ \(checkpoint?.size ?? 0) --controller \(base)</pre></li>
            <li>\(context(.stepFullVerify))<pre>loa log verify --data BẢN-SAO-THƯ-MỤC-DỮ-LIỆU --key "\(key)" --checkpoint checkpoint.txt</pre></li>
            </ol>
            <p class="muted"><a href="/log/checkpoint">/log/checkpoint</a> · <a href="/log/key">/log/key</a> · <a href="/log/entries?from=0&amp;count=100">/log/entries</a></p>
            </section>
            """
    }

    /// The address people reached this page at (its Host header), else the configured one.
    static func baseURL(of request: Request, fallback: String) -> String {
        guard let host = request.head.authority, !host.isEmpty,
            host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:[]".contains($0) })
        else { return fallback }
        let scheme = request.headers[.init("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        return "\(scheme)://\(host)"
    }
}
