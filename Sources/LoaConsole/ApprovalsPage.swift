import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaStore

/// The approvals queue: what of the active schedule version waits for approval,
/// with its content (text or a player), targets, times, planned airings and legal
/// checks; an emergency shows the two-person rule's state.
struct ApprovalsPage {
    let context: ConsoleContext
    let request: Request

    private var controller: Controller { context.controller }

    func render() async throws -> Response {
        guard let active = try await controller.store.activeSchedule() else {
            return Layout.page(context, title: context(.approvals), current: .approvals, body: "<p class=\"notice\">\(context(.noSchedule))</p>")
        }
        let status = try await controller.store.approvalStatus(version: active.version)
        let waiting = status.filter { !$0.isApproved }
        let planner = try Planner(schedule: active.schedule)
        let today = planner.clock.local(controller.now).date
        let plan = planner.plan(from: today, days: 14)
        let checks = LegalChecks.evaluate(plan, of: planner)
        var body: [HTML] = await [flash()]
        body.append("<p class=\"muted\">\(context(.version)) \(active.version) · \(context(.appliedBy)) \(context.person(active.appliedBy)) · \(context.time(active.appliedAt))</p>")
        if waiting.isEmpty { body.append("<p class=\"flash\">\(context(.queueEmpty))</p>") }
        // What was added last (a console announcement goes to the end of the schedule) comes first.
        for approval in waiting.reversed() {
            body.append(try await card(
                approval, schedule: active.schedule, version: active.version, plan: plan, checks: checks, appliedAt: active.appliedAt,
                planner: planner))
        }
        let soon = try await UpcomingAiring.list(controller: controller, hours: 24).filter(\.approved)
        if !soon.isEmpty {
            let rows = soon.prefix(12).map { airing -> [HTML] in
                [
                    "\(context.time(airing.startAt))", "\(context.hamletNames[airing.hamlet] ?? airing.hamlet)", "\(airing.title)",
                    "<a href=\"\(UpcomingAiring.livePath(airing.broadcast))\">\(context(.liveView))</a>",
                ]
            }
            body.append("""
                <h2>\(context(.recentlyApproved))</h2>
                <section>\(DataTable(headings: [.scheduled, .hamlet, .title].map { context($0) } + [""], cells: rows).html)</section>
                """)
        }
        return Layout.page(context, title: context(.approvals), current: .approvals, body: HTML(joining: body))
    }

    /// Records the user's approval of one programme or notice of the version they saw.
    func approve(_ form: WebForm) async throws -> Response {
        guard let version = form["version"].flatMap(Int.init), let id = form["programme"], let user = context.user else {
            throw HTTPError(.badRequest, message: "the form needs version and programme")
        }
        do {
            try await controller.programmes.approve(version: version, programmeIDs: [id], by: user.name)
        } catch let error as ScheduleVersionError {
            throw HTTPError(.conflict, message: "\(error)")
        }
        return .redirect(to: "\(ConsolePage.approvals.path)?approved=\(id)", type: .normal)
    }

    /// Sends one programme or notice back to the officer with a reason (`ProgrammeDesk.reject`).
    func reject(_ form: WebForm) async throws -> Response {
        guard let version = form["version"].flatMap(Int.init), let id = form["programme"], let user = context.user else {
            throw HTTPError(.badRequest, message: "the form needs version and programme")
        }
        let title = try await controller.store.activeSchedule()?.schedule.title(of: id) ?? id
        do {
            try await controller.programmes.reject(version: version, programme: id, reason: form["reason"] ?? "", by: user.name)
        } catch let error as ControllerError {
            throw HTTPError(.unprocessableContent, message: error.description)
        }
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "rejected", value: title)]
        return .redirect(to: "\(ConsolePage.approvals.path)?\(query.percentEncodedQuery ?? "")", type: .normal)
    }

    private func flash() async -> HTML {
        if let title = request.uri.queryParameters.get("rejected") {
            return "<p class=\"flash\" role=\"status\">\(context(.rejectedFlash)): <strong>\(title)</strong></p>"
        }
        guard let id = request.uri.queryParameters.get("approved") else { return "" }
        let airings = await (try? UpcomingAiring.list(controller: controller, hours: 48))?.filter { $0.programme == id } ?? []
        let title = await (try? controller.store.activeSchedule())??.schedule.title(of: id) ?? id
        var seen = Set<String>()
        let links = airings.filter { seen.insert($0.broadcast).inserted }.prefix(6).map { airing -> HTML in
            "<li><a href=\"\(UpcomingAiring.livePath(airing.broadcast))\">\(context.time(airing.startAt))</a></li>"
        }
        return """
            <div class="flash" role="status"><strong>\(context(.approvedFlash)): \(title)</strong>
            \(links.isEmpty ? HTML("") : HTML("<p>\(context(.followLive))</p><ul>\(Array(links))</ul>"))</div>
            """
    }

    private func card(
        _ approval: ProgrammeApproval, schedule: BroadcastSchedule, version: Int, plan: Plan, checks: [LegalCheck],
        appliedAt: Date, planner: Planner
    ) async throws -> HTML {
        let index = schedule.programmes.firstIndex { $0.id == approval.programmeID }
        let programme = index.map { schedule.programmes[$0] }
        let kind = approval.kind == .programme ? context(.kindProgramme) : context(.kindNotice)
        var details: [HTML] = []
        var nothingWouldAir = false
        if let programme, let index {
            // What residents will hear, to listen to before approving: the uploaded audio, or the text as it will be read.
            let content: HTML = switch programme.content {
            case .text(let text):
                "<blockquote lang=\"vi\">\(text)</blockquote>\(try await SpeechPreview.audio(for: text, controller: controller).map { speech -> HTML in "<h3>\(context(.listen))</h3><audio controls preload=\"none\" src=\"/console/media/\(speech.sha256)\"></audio>" })"
            case .audio(let path, let media):
                "<p class=\"muted\">\((path as NSString).lastPathComponent)</p>\(media.map { "<h3>\(context(.listen))</h3><audio controls preload=\"none\" src=\"/console/media/\($0.sha256)\"></audio>" as HTML })"
            case .live(let speaker):
                "<p>\(context(.liveBy)) <strong>\(speaker)</strong></p>"
            case .relay(let sources):
                "<h3>\(context(.relayedFrom))</h3><ol>\(sources.map { "<li><a href=\"\($0)\" rel=\"noreferrer\">\($0)</a></li>" as HTML })</ol>"
            }
            let hamlets = schedule.hamletIDs(of: programme.targets).map { context.hamletNames[$0] ?? $0 }.joined(separator: ", ")
            let airings = plan.occurrences.filter { $0.programme == index && $0.startAt >= controller.now }.prefix(8)
                .map { "<li>\(context.time($0.startAt)) · \(schedule.hamlets[$0.hamlet].name)</li>" as HTML }
            let findings = plan.findings.filter { $0.programme == index }.prefix(6).map { "<li>\(context($0.message))</li>" as HTML }
            let legal = checks.filter { $0.programme == index }.map { check -> HTML in
                "<li>\(LegalOutcomeBadge.html(check.outcome, context)) \(context(check.rule))</li>"
            }
            // Instants that passed while it awaited approval: say before approving what becomes of them.
            let late = plan.occurrences.filter { $0.programme == index && $0.startAt >= appliedAt && $0.startAt < controller.now }
                .map { occurrence -> HTML in
                    let outlook = LateApproval.outlook(scheduled: occurrence.startAt, priority: programme.priority, now: controller.now)
                    let consequence: HTML = switch outlook {
                    case .airsWhenApproved(let until): "\(context(.airsOnApproval)) \(context.time(until))"
                    case .willNotAir, .onTime: "\(context(.willNotAirLate))"
                    }
                    return "<li>\(context(.instantPassed)) \(context.time(occurrence.startAt)) · \(schedule.hamlets[occurrence.hamlet].name): \(consequence)</li>"
                }
            if !late.isEmpty { details.append("<div class=\"alert late-approval\"><ul>\(late)</ul></div>") }
            // Nothing ahead and nothing late that would still air: approving now airs nothing, and the page says so.
            let ahead = plan.occurrences.contains { $0.programme == index && $0.startAt >= controller.now }
            let stillAirs = plan.occurrences.contains { occurrence in
                occurrence.programme == index && occurrence.startAt < controller.now
                    && LateApproval.outlook(scheduled: occurrence.startAt, priority: programme.priority, now: controller.now) != .willNotAir
            }
            if !ahead && !stillAirs && programme.recurrence.hasEnded(by: planner.clock.local(controller.now).date) {
                nothingWouldAir = true
                details.append("<p class=\"alert too-late\">\(context(.tooLateToApprove))</p>")
            }
            details.append("""
                \(content)
                <p><strong>\(context(.hamlets)):</strong> \(hamlets)<br><strong>\(context(.when)):</strong> \(context.describe(programme.recurrence)) · \(programme.durationSeconds) \(context(.seconds))</p>
                <h3>\(context(.upcoming))</h3>\(airings.isEmpty ? HTML("<p class=\"muted\">\(context(.noAirings))</p>") : HTML("<ul>\(Array(airings))</ul>"))
                \(findings.isEmpty ? HTML("") : HTML("<h3>\(context(.findings))</h3><ul>\(Array(findings))</ul>"))
                \(legal.isEmpty ? HTML("") : HTML("<h3>\(context(.legalChecks))</h3><ul>\(legal)</ul>"))
                """)
        } else if let notice = schedule.notices.first(where: { $0.id == approval.programmeID }) {
            details.append("<p>\(notice.title)</p>")
        }
        let mine = approval.approvers.contains { $0.name == context.user?.name }
        let twoPerson: HTML = approval.requiredApprovers > 1 ? """
            <div class="alert"><strong>\(context(.needsTwo))</strong>
            <div class="two-person">\((0..<approval.requiredApprovers).map { slot -> HTML in
                "<span class=\"slot\(slot < approval.approvers.count ? HTML(" filled") : HTML(""))\"></span>" })
            \(approval.approvers.count)/\(approval.requiredApprovers) \(context(.approvalCount))\(approval.approvers.isEmpty ? "" : ": " + context.people(approval.approvers.map(\.name)))</div>
            \(mine ? HTML("<p>\(context(.youApproved)) \(context(.secondApproverNeeded))</p>") : HTML(""))</div>
            """ : ""
        let approve: HTML = mine || nothingWouldAir ? "" : """
            <form method="post" action="\(ConsolePage.approvals.path)" class="actions">\(context.csrfField)
            <input type="hidden" name="version" value="\(version)"><input type="hidden" name="programme" value="\(approval.programmeID)">
            <button type="submit" class="primary" id="approve-\(approval.programmeID)">\(context(.approve))</button></form>
            """
        // Sending it back, with a reason the officer reads on their dashboard.
        let reject: HTML = """
            <details class="reject"\(nothingWouldAir ? HTML(" open") : HTML(""))><summary>\(context(.reject))</summary>
            <form method="post" action="/console/approvals/reject" class="stack">\(context.csrfField)
            <input type="hidden" name="version" value="\(version)"><input type="hidden" name="programme" value="\(approval.programmeID)">
            <label for="reason-\(approval.programmeID)">\(context(.rejectReason))</label>
            <textarea id="reason-\(approval.programmeID)" name="reason" required maxlength="\(ProgrammeDesk.rejectionReasonLimit)"></textarea>
            <div class="actions"><button type="submit" class="secondary" id="reject-\(approval.programmeID)">\(context(.rejectSend))</button></div>
            </form></details>
            """
        return """
            <section class="approval" id="approval-\(approval.programmeID)">
            <h2>\(approval.title)</h2>
            <p>\(context.emergencyBadge(category: programme?.category, priority: approval.priority)) <span class="badge">\(kind)</span> <span class="badge\(approval.priority == .normal ? "" : " bad")">\(context.name(approval.priority))</span></p>
            \(HTML(joining: details))
            \(twoPerson)
            \(approve)
            \(reject)
            </section>
            """
    }
}
