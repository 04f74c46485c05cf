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
        body.append("<p class=\"muted\">\(context(.version)) \(active.version) · \(context(.appliedBy)) \(active.appliedBy) · \(context.time(active.appliedAt))</p>")
        if waiting.isEmpty { body.append("<p class=\"flash\">\(context(.queueEmpty))</p>") }
        // What was added last (a console announcement goes to the end of the schedule) comes first.
        for approval in waiting.reversed() {
            body.append(card(approval, schedule: active.schedule, version: active.version, plan: plan, checks: checks, appliedAt: active.appliedAt))
        }
        let soon = try await UpcomingAiring.list(controller: controller, hours: 24).filter(\.approved)
        if !soon.isEmpty {
            body.append("""
                <h2>\(context(.recentlyApproved))</h2>
                <section><table><tbody>\(soon.prefix(12).map { airing -> HTML in
                    "<tr><td>\(context.time(airing.startAt))</td><td>\(context.hamletNames[airing.hamlet] ?? airing.hamlet)</td><td>\(airing.title)</td><td><a href=\"\(UpcomingAiring.livePath(airing.broadcast))\">\(context(.liveView))</a></td></tr>"
                })</tbody></table></section>
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

    private func flash() async -> HTML {
        guard let id = request.uri.queryParameters.get("approved") else { return "" }
        let airings = await (try? UpcomingAiring.list(controller: controller, hours: 48))?.filter { $0.programme == id } ?? []
        var seen = Set<String>()
        let links = airings.filter { seen.insert($0.broadcast).inserted }.prefix(6).map { airing -> HTML in
            "<li><a href=\"\(UpcomingAiring.livePath(airing.broadcast))\">\(context.time(airing.startAt))</a></li>"
        }
        return """
            <div class="flash" role="status"><strong>\(context(.approvedFlash)): \(id)</strong>
            \(links.isEmpty ? HTML("") : HTML("<p>\(context(.followLive))</p><ul>\(Array(links))</ul>"))</div>
            """
    }

    private func card(
        _ approval: ProgrammeApproval, schedule: BroadcastSchedule, version: Int, plan: Plan, checks: [LegalCheck],
        appliedAt: Date
    ) -> HTML {
        let index = schedule.programmes.firstIndex { $0.id == approval.programmeID }
        let programme = index.map { schedule.programmes[$0] }
        let kind = approval.kind == .programme ? context(.kindProgramme) : context(.kindNotice)
        var details: [HTML] = []
        if let programme, let index {
            let content: HTML = switch programme.content {
            case .text(let text): "<blockquote lang=\"vi\">\(text)</blockquote>"
            case .audio(let path, let media):
                "<p class=\"muted\">\(path)</p>\(media.map { "<audio controls src=\"/console/media/\($0.sha256)\"></audio>" as HTML })"
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
            \(approval.approvers.count)/\(approval.requiredApprovers) \(context(.approvalCount))\(approval.approvers.isEmpty ? "" : ": " + approval.approvers.map(\.name).joined(separator: ", "))</div>
            \(mine ? HTML("<p>\(context(.youApproved)) \(context(.secondApproverNeeded))</p>") : HTML(""))</div>
            """ : ""
        let action: HTML = mine ? "" : """
            <form method="post" action="\(ConsolePage.approvals.path)" class="actions">\(context.csrfField)
            <input type="hidden" name="version" value="\(version)"><input type="hidden" name="programme" value="\(approval.programmeID)">
            <button type="submit" class="primary" id="approve-\(approval.programmeID)">\(context(.approve))</button></form>
            """
        return """
            <section class="approval" id="approval-\(approval.programmeID)">
            <h2>\(approval.title)</h2>
            <p><span class="badge">\(kind)</span> <span class="badge\(approval.priority == .normal ? "" : " bad")">\(context.name(approval.priority))</span>
            <span class="muted">\(approval.programmeID)</span></p>
            \(HTML(joining: details))
            \(twoPerson)
            \(action)
            </section>
            """
    }
}
