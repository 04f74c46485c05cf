import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaStore

/// The public transparency page (no login): the approved disclosures of the
/// active schedule with their dates and hamlets, the latest signed checkpoint of
/// the transparency log, and how anyone can verify it.
struct TransparencyPage {
    let context: ConsoleContext

    func render() async throws -> Response {
        let controller = context.controller
        var rows: [HTML] = []
        if let active = try await controller.store.activeSchedule() {
            let approved = try await controller.store.approvedProgrammeIDs(version: active.version)
            for programme in active.schedule.programmes where approved.contains(programme.id) {
                guard let disclosure = programme.disclosure else { continue }
                let hamlets = active.schedule.hamletIDs(of: programme.targets).map { context.hamletNames[$0] ?? $0 }
                rows.append("""
                    <tr><td>\(programme.title)</td><td>\(disclosure.item)</td><td>\(context.date(disclosure.decisionDate))</td>
                    <td>\(context.describe(programme.recurrence))</td><td>\(hamlets.joined(separator: ", "))</td></tr>
                    """)
            }
        }
        let checkpoint = try await controller.store.latestCheckpoint()
        let body: HTML = """
            <p>\(context(.publicIntro))</p>
            <section><h2>\(context(.disclosures))</h2>
            \(rows.isEmpty ? HTML("<p class=\"muted\">\(context(.noDisclosures))</p>") : HTML("<table><thead><tr><th>\(context(.title))</th><th>\(context(.disclosureItem))</th><th>\(context(.decision))</th><th>\(context(.when))</th><th>\(context(.hamlets))</th></tr></thead><tbody>\(rows)</tbody></table>"))
            </section>
            <section><h2>\(context(.checkpoint))</h2>
            \(checkpoint.map { HTML("<pre>\($0)</pre>") } ?? HTML("<p class=\"muted\">\(context(.noCheckpoint))</p>"))
            <h3>\(context(.howToVerify))</h3>
            <p>\(context(.verifyText))</p>
            <pre>curl -o checkpoint.txt http://CONTROLLER/log/checkpoint
            curl http://CONTROLLER/log/key
            loa log verify --data BẢN-SAO-DỮ-LIỆU --key "KHÓA" --checkpoint checkpoint.txt</pre>
            <p class="muted"><a href="/log/checkpoint">/log/checkpoint</a> · <a href="/log/key">/log/key</a> · <a href="/log/entries?from=0&amp;count=100">/log/entries</a></p>
            </section>
            """
        return Layout.page(context, title: context(.publicTitle), current: nil, body: body)
    }
}
