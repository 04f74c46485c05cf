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
            \(flash())
            \(try await activeList())
            <h2>\(context(.newEmergency))</h2>
            \(problems.isEmpty ? HTML("") : page.problemList(problems))
            <form method="post" action="\(ConsolePage.emergency.path)#preview" class="stack card" id="emergency-form"\(isLive ? HTML(" data-confirm=\"\(context(.liveExplained))\"") : HTML(""))>
            \(context.csrfField)
            <input type="hidden" name="id" value="\(id ?? controller.programmes.newProgrammeID())">
            <fieldset class="mode"><legend>\(context(.emergencyMode))</legend>
            <label class="choice mode-test"><input type="radio" name="mode" value="test"\(isLive ? HTML("") : HTML(" checked"))> <span class="badge warn">\(context(.emergencyTest))</span> \(context(.testExplained))</label><br>
            <label class="choice mode-live"><input type="radio" name="mode" value="live"\(isLive ? HTML(" checked") : HTML(""))> <span class="badge bad">\(context(.emergencyLive))</span> \(context(.liveExplained))</label>
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
        do {
            try await controller.programmes.withdraw(programme: id, by: context.user?.name ?? "")
        } catch let error as ControllerError {
            throw HTTPError(.unprocessableContent, message: error.description)
        }
        return .redirect(to: "\(ConsolePage.emergency.path)?cancelled=\(id)", type: .normal)
    }

    private func flash() -> HTML {
        if let id = request.uri.queryParameters.get("submitted") {
            return "<p class=\"flash\" role=\"status\">\(context(.submitted)): <strong>\(id)</strong></p>"
        }
        if let id = request.uri.queryParameters.get("cancelled") {
            return "<p class=\"flash\" role=\"status\">\(context(.cancelled)): <strong>\(id)</strong></p>"
        }
        return ""
    }

    /// Every emergency or test of the active schedule, with its approvals and a cancel button.
    private func activeList() async throws -> HTML {
        guard let active = try await controller.store.activeSchedule() else { return "" }
        let status = Dictionary(
            try await controller.store.approvalStatus(version: active.version).map { ($0.programmeID, $0) }, uniquingKeysWith: { a, _ in a })
        let programmes = active.schedule.programmes.filter { $0.category == .emergency || $0.priority == .emergency }
        guard !programmes.isEmpty else { return "<h2>\(context(.activeEmergencies))</h2><p class=\"muted\">\(context(.noActiveEmergencies))</p>" }
        let rows = programmes.map { programme -> HTML in
            let approval = status[programme.id]
            let live = programme.priority == .emergency
            let approvers = approval.map { "\($0.approvers.count)/\($0.requiredApprovers) \(context(.approvalCount))" } ?? ""
            return """
                <tr><td><span class="badge \(live ? "bad" : "warn")">\(context(live ? .emergencyLive : .emergencyTest))</span></td>
                <td><strong>\(programme.title)</strong><br><span class="muted">\(context.describe(programme.recurrence))</span></td>
                <td>\(approval?.isApproved == true ? HTML("<span class=\"badge ok\">\(context(.approvedShort))</span>") : HTML("<span class=\"badge warn\">\(context(.awaitingApprovalShort))</span>")) \(approvers)</td>
                <td><form method="post" action="/console/emergency/cancel" data-confirm="\(context(.cancelConfirm))">\(context.csrfField)
                <input type="hidden" name="programme" value="\(programme.id)">
                <button type="submit" class="primary cancel" id="cancel-\(programme.id)">\(context(.cancelBroadcast))</button></form></td></tr>
                """
        }
        return "<h2>\(context(.activeEmergencies))</h2><section><table><tbody>\(rows)</tbody></table></section>"
    }
}
