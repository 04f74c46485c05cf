import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaStore

/// Emergency broadcasts: a clear choice between a TEST (says so aloud, interrupts
/// nothing, one approver) and a LIVE emergency (interrupts everything, two
/// different approvers), and a ready CANCEL for every emergency or test in the schedule.
struct EmergencyPage {
    let context: ConsoleContext
    let request: Request

    private var controller: Controller { context.controller }

    /// What a test broadcast says first, aloud, to residents (always Vietnamese).
    static let testSpoken = "Đây là phát thử nghiệm, không phải tin khẩn cấp thật. "

    func render(mode: String = "test", title: String = "", text: String = "", minutes: String = "2",
                hamlets chosen: Set<String>? = nil, preview: ProgrammePreview? = nil, speech: MediaReference? = nil, id: String? = nil,
                problems: [LocalizedText] = []) async throws -> Response {
        let active = try await controller.store.activeSchedule()
        let hamlets = active?.schedule.hamlets.map { ($0.id, $0.name) } ?? controller.configuration.site.hamlets.map { ($0.id, $0.name) }
        let page = AnnouncementPage(context: context)
        let isLive = mode == "live"
        let body: HTML = """
            \(try await flash())
            \(try await activeList())
            <h2>\(context(.newEmergency))</h2>
            \(problems.isEmpty ? HTML("") : page.problemList(problems))
            <form method="post" action="\(ConsolePage.emergency.path)#preview" class="stack card" id="emergency-form"\(isLive ? HTML(" data-confirm=\"\(context(.liveConfirm))\"") : HTML(""))>
            \(context.csrfField)
            <input type="hidden" name="id" value="\(id ?? controller.programmes.newProgrammeID())">
            <fieldset class="mode"><legend>\(context(.emergencyMode))</legend>
            <label class="choice mode-test"><input type="radio" name="mode" value="test"\(isLive ? HTML("") : HTML(" checked"))> <span class="badge warn">\(context(.emergencyTest))</span> <span class="explain">\(context(.testExplained))</span></label><br>
            <label class="choice mode-live"><input type="radio" name="mode" value="live"\(isLive ? HTML(" checked") : HTML(""))> <span class="badge bad">\(context(.emergencyLive))</span> <span class="explain">\(context(.liveExplained))</span></label>
            </fieldset>
            <label for="title">\(context(.title))</label>
            <input type="text" id="title" name="title" value="\(title)" required>
            <label for="text">\(context(.content))</label>
            <textarea id="text" name="text" lang="vi" required>\(text)</textarea>
            <fieldset><legend>\(context(.hamlets))</legend>
            \(hamlets.map { id, name -> HTML in
                "<label class=\"choice\"><input type=\"checkbox\" name=\"hamlet-\(id)\" id=\"hamlet-\(id)\"\((chosen?.contains(id) ?? true) ? HTML(" checked") : HTML(""))> \(name)</label>" })
            </fieldset>
            <label for="minutes">\(context(.startsIn))</label>
            <input type="number" id="minutes" name="minutes" min="1" max="120" value="\(minutes)"> \(context(.minutes))
            <div class="actions">
            <button type="submit" name="action" value="preview" class="secondary">\(context(.preview))</button>
            \(preview?.isSubmittable == true ? HTML("<button type=\"submit\" name=\"action\" value=\"submit\" class=\"primary\">\(context(.submit))</button>") : HTML(""))
            </div>
            </form>
            \(preview.map { page.previewSection($0, speech: speech, formID: "emergency-form") })
            """
        return Layout.page(context, title: context(.emergency), current: .emergency, body: body)
    }

    /// A posted emergency form: previewed, or submitted as a new schedule version.
    func handle(_ form: WebForm) async throws -> Response {
        let mode = form["mode"] == "live" ? "live" : "test"
        let title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let minutes = form["minutes"] ?? "2"
        let id = form["id"] ?? controller.programmes.newProgrammeID()
        let hamlets = await (try controller.store.activeSchedule()?.schedule.hamlets.map(\.id) ?? []).filter { form["hamlet-\($0)"] != nil }
        guard let delay = Int(minutes), (1...120).contains(delay) else {
            return try await render(mode: mode, title: title, text: text, minutes: minutes, hamlets: Set(hamlets), id: id, problems: [
                LocalizedText(vi: "Bắt đầu sau: từ 1 đến 120 phút", en: "starts in: 1 to 120 minutes"),
            ])
        }
        let tooLong = [
            TextLimits.problem(("Tiêu đề", "title"), title, limit: TextLimits.title),
            TextLimits.problem(("Nội dung", "text"), text, limit: TextLimits.spokenText),
        ].compactMap { $0 }
        guard tooLong.isEmpty else {
            return try await render(mode: mode, title: title, text: text, minutes: minutes, hamlets: Set(hamlets), id: id, problems: tooLong)
        }
        let start = controller.configuration.wallClock.local(controller.now.addingTimeInterval(TimeInterval(delay * 60)))
        let isLive = mode == "live"
        let spoken = isLive ? text : Self.testSpoken + text
        var draft = ProgrammeDraft(
            title: (isLive ? "" : context(.testPrefix)) + title, category: .emergency, priority: isLive ? .emergency : .priority,
            content: .text(spoken.precomposedStringWithCanonicalMapping),
            durationSeconds: ProgrammeDraft.estimatedSeconds(reading: spoken), hamlets: hamlets,
            recurrence: Recurrence(days: .once(start.date), times: .at([LocalTime(secondsSinceMidnight: start.time.secondsSinceMidnight / 60 * 60)!])))
        let speech = text.isEmpty ? nil : try await SpeechPreview.audio(for: spoken, controller: controller)
        if let speech { draft.durationSeconds = max(1, Int((Double(speech.durationMs) / 1000).rounded(.up))) }
        let preview = try await controller.programmes.preview(draft, id: id)
        guard form["action"] == "submit", preview.isSubmittable else {
            return try await render(
                mode: mode, title: title, text: text, minutes: minutes, hamlets: Set(hamlets), preview: preview, speech: speech, id: id)
        }
        try await controller.programmes.submit(draft, id: id, by: context.user?.name ?? "")
        return .redirect(to: "\(ConsolePage.emergency.path)?submitted=\(id)", type: .normal)
    }

    /// Withdraws one emergency or test from the schedule.
    func cancel(_ form: WebForm) async throws -> Response {
        guard let id = form["programme"] else { throw HTTPError(.badRequest, message: "the form needs programme") }
        let title = try await controller.store.activeSchedule()?.schedule.title(of: id) ?? id
        do {
            try await controller.programmes.withdraw(programme: id, by: context.user?.name ?? "")
        } catch let error as ControllerError {
            throw HTTPError(.unprocessableContent, message: error.description)
        }
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "cancelled", value: title)]
        return .redirect(to: "\(ConsolePage.emergency.path)?\(query.percentEncodedQuery ?? "")", type: .normal)
    }

    private func flash() async throws -> HTML {
        let schedule = try await controller.store.activeSchedule()?.schedule
        if let id = request.uri.queryParameters.get("submitted") {
            return "<p class=\"flash\" role=\"status\">\(context(.submitted)): <strong>\(schedule?.title(of: id) ?? id)</strong></p>"
        }
        if let title = request.uri.queryParameters.get("cancelled") {
            return "<p class=\"flash\" role=\"status\">\(context(.cancelled)): <strong>\(title)</strong></p>"
        }
        return ""
    }

    /// Every emergency or test of the active schedule, with its approvals and a cancel
    /// button while it can still air; once it has, what became of it.
    private func activeList() async throws -> HTML {
        guard let active = try await controller.store.activeSchedule() else { return "" }
        let status = Dictionary(
            try await controller.store.approvalStatus(version: active.version).map { ($0.programmeID, $0) }, uniquingKeysWith: { a, _ in a })
        let programmes = active.schedule.programmes.filter { $0.category == .emergency || $0.priority == .emergency }
        guard !programmes.isEmpty else { return "<h2>\(context(.activeEmergencies))</h2><p class=\"muted\">\(context(.noActiveEmergencies))</p>" }
        let planner = try Planner(schedule: active.schedule)
        let today = planner.clock.local(controller.now).date
        var rows: [[HTML]] = []
        for programme in programmes {
            let approval = status[programme.id]
            let approvers = approval.map { approval -> String in
                "\(approval.approvers.count)/\(approval.requiredApprovers) \(context(.approvalCount))"
                    + (approval.approvers.isEmpty ? "" : ": " + context.people(approval.approvers.map(\.name)))
            } ?? ""
            let state: HTML = approval?.isApproved == true
                ? "<span class=\"badge ok\">\(context(.approvedShort))</span>" : "<span class=\"badge warn\">\(context(.awaitingApprovalShort))</span>"
            let action: HTML
            if let over = try await outcome(of: programme, in: active.schedule, planner: planner, today: today, approved: approval?.isApproved == true) {
                action = over
            } else {
                action = """
                    <form method="post" action="/console/emergency/cancel" data-confirm="\(context(.cancelConfirm))">\(context.csrfField)
                    <input type="hidden" name="programme" value="\(programme.id)">
                    <button type="submit" class="primary cancel" id="cancel-\(programme.id)">\(context(.cancelBroadcast))</button></form>
                    """
            }
            rows.append([
                context.emergencyBadge(category: programme.category, priority: programme.priority),
                "<strong>\(programme.title)</strong><br><span class=\"muted\">\(context.describe(programme.recurrence))</span>",
                "\(state) \(approvers)", action,
            ])
        }
        let table = DataTable(headings: [context(.emergencyMode), context(.title), context(.logApproval), ""], cells: rows)
        return "<h2>\(context(.activeEmergencies))</h2><section>\(table.html)</section>"
    }

    /// What became of a one-off emergency or test whose time is over (nil while it can
    /// still air, so it keeps its cancel): played, missed, or never approved in time,
    /// with a link to the result on every receiver.
    private func outcome(
        of programme: Programme, in schedule: BroadcastSchedule, planner: Planner, today: LocalDate, approved: Bool
    ) async throws -> HTML? {
        guard programme.recurrence.hasEnded(by: today), case .once(let day) = programme.recurrence.days,
            let index = schedule.programmes.firstIndex(where: { $0.id == programme.id })
        else { return nil }
        let occurrences = planner.plan(from: day, days: 1).occurrences.filter { $0.programme == index }
        let now = controller.now
        let stillAhead = occurrences.contains { occurrence in
            let end = occurrence.startAt.addingTimeInterval(TimeInterval(programme.durationSeconds) + 60)
            if end > now { return true }
            // An emergency approved late still airs within its window.
            return !approved && LateApproval.outlook(scheduled: occurrence.startAt, priority: programme.priority, now: now) != .willNotAir
        }
        guard !stillAhead, let first = occurrences.first else { return nil }
        let broadcast = schedule.broadcastKey(of: first)
        let counts = try await controller.deliveries.delivery(of: broadcast).counts
        var said: [HTML] = []
        if !approved { said.append("<span class=\"badge bad\">\(context(.notApprovedInTime))</span>") }
        for state in [ReceiverDelivery.State.finished, .missed, .failed, .preempted] {
            if let count = counts[state] {
                said.append("<span class=\"badge \(DeliveryPage.style(state))\">\(context(DeliveryPage.phrase(state))): \(count)</span>")
            }
        }
        if said.isEmpty { said.append("<span class=\"badge\">\(context(.timeOver))</span>") }
        return "\(HTML(joining: said)) <a href=\"\(UpcomingAiring.livePath(broadcast))\">\(context(.seeResult))</a>"
    }
}
