import Foundation
import Hummingbird
import LoaController
import LoaStore

/// `/province`: the recent emergencies with where each stands, and, for an officer,
/// the form that proposes a new one to chosen communes.
struct ProvinceDeskPage {
    let context: ProvincePageContext

    /// How many emergencies the list shows.
    static let listed = 50

    func render() async throws -> Response { try await render(form: nil, problems: []) }

    /// The page; `form` and `problems` when a proposal was refused (shown again as typed).
    private func render(form: WebForm?, problems: [String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let emergencies = try await context.desk.recentProvinceEmergencies(limit: Self.listed)
        let people = try await context.desk.provincePeople()
        var rows: [DataTable.Row] = []
        for emergency in emergencies {
            let reached = emergency.isApproved || emergency.cancelledAt != nil
                ? "\(try await context.desk.takeUps(of: emergency.id).count)/\(emergency.communes.count)" : "–"
            rows.append(DataTable.Row(cells: [
                "<a href=\"/province/emergencies/\(emergency.id)\">\(emergency.title)</a>",
                "\(context.time(emergency.startAt))", ProvinceEmergencyPage.badge(emergency, context),
                "\(reached)", "\(people[emergency.proposedBy] ?? emergency.proposedBy)",
            ]))
        }
        let list = rows.isEmpty
            ? "<p class=\"muted\">\(context(.noEmergencies))</p>" as HTML
            : DataTable(
                headings: [context(.title), context(.startsAt), context(.state), context(.reached), context(.proposedBy)], rows: rows
            ).html
        let body: HTML = """
            \(context.signedIn?.user.roles.contains(.officer) == true ? try await proposeForm(form, problems: problems) : "")
            <section><h2>\(context(.recentTitle))</h2>\(list)</section>
            """
        return context.page(title: context(.deskTitle), status: status, body: body)
    }

    private func proposeForm(_ form: WebForm?, problems: [String]) async throws -> HTML {
        let communes = try await context.desk.provinceCommunes()
        let choices = communes.map { commune -> HTML in
            let checked = form?["commune-\(commune.id)"] != nil ? HTML(" checked") : HTML("")
            return "<label class=\"choice\"><input type=\"checkbox\" name=\"commune-\(commune.id)\"\(checked)> \(commune.name) <span class=\"muted\">(\(commune.id))</span></label>"
        }
        return """
            <section class="card">
            <h2>\(context(.proposeTitle))</h2>
            <p class="muted">\(context(.proposeHint))</p>
            \(problems.isEmpty ? "" : HTML("<ul class=\"alert\" role=\"alert\">\(problems.map { "<li>\($0)</li>" as HTML })</ul>"))
            <form method="post" action="/province/emergencies" class="stack">
            \(context.csrfField)
            <input type="hidden" name="id" value="\(form?["id"] ?? ProvinceEmergency.newID(at: context.controller.now))">
            <label for="title">\(context(.title))</label>
            <input type="text" id="title" name="title" maxlength="\(ProvinceEmergency.titleLimit)" value="\(form?["title"] ?? "")" required>
            <label for="text">\(context(.text))</label>
            <textarea id="text" name="text" lang="vi" maxlength="\(ProvinceEmergency.textLimit)" required>\(form?["text"] ?? "")</textarea>
            <fieldset><legend>\(context(.communes))</legend>
            \(communes.isEmpty ? "<p class=\"muted\">\(context(.noCommunes))</p>" as HTML : "")
            <label class="choice"><input type="checkbox" name="all"\(form?["all"] != nil ? HTML(" checked") : "")> <strong>\(context(.everyCommune))</strong></label>
            \(choices)
            </fieldset>
            <label for="minutes">\(context(.startsIn))</label>
            <input type="number" id="minutes" name="minutes" min="1" max="720" value="\(form?["minutes"] ?? "10")"> \(context(.minutes))
            <div class="actions"><button type="submit" class="primary">\(context(.propose))</button></div>
            </form>
            </section>
            """
    }

    /// A posted proposal: stored and shown (a form posted twice stores it once), or the
    /// form again with what is wrong.
    func propose(_ form: WebForm) async throws -> Response {
        guard let user = context.signedIn?.user, user.roles.contains(.officer) else {
            return context.page(title: context(.deskTitle), status: .forbidden, body: "<p class=\"alert\">\(context(.onlyOfficers))</p>")
        }
        guard let id = form["id"], ProvinceEmergency.isWellFormedID(id) else { throw HTTPError(.badRequest, message: "id") }
        if try await context.desk.provinceEmergency(id: id) != nil {
            return .redirect(to: "/province/emergencies/\(id)", type: .normal)
        }
        let known = try await context.desk.provinceCommunes()
        let communes = form["all"] != nil ? known.map(\.id) : known.map(\.id).filter { form["commune-\($0)"] != nil }
        let title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        let text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        var problems = ProvinceEmergency.problems(title: title, text: text, communes: communes)
        let minutes = Int(form["minutes"] ?? "") ?? 0
        if !(1...720).contains(minutes) { problems.append(context(.minutesRange)) }
        guard problems.isEmpty else {
            return try await render(form: form, problems: problems.map(context.language.inLanguage), status: .unprocessableContent)
        }
        let now = context.controller.now
        try await context.desk.propose(
            ProvinceEmergency(
                id: id, title: title, text: text, communes: communes,
                startAt: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(minutes * 60)).rounded()),
                proposedBy: user.name, proposedAt: now),
            by: user)
        return .redirect(to: "/province/emergencies/\(id)?done=proposed", type: .normal)
    }
}
