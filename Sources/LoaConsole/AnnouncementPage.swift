import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaStore

/// New announcement: text (read by text-to-speech) or uploaded audio; category,
/// priority class, hamlets, times or recurrence; a preview of the audio and of the
/// plan with its conflicts and legal checks; then submission as a new schedule
/// version awaiting approval.
struct AnnouncementPage {
    let context: ConsoleContext

    private var controller: Controller { context.controller }

    /// The hamlets and slots offered: the active schedule's (the site's hamlets before one exists).
    private func choices() async throws -> (hamlets: [(id: String, name: String)], slots: [BroadcastSlot]) {
        if let schedule = try await controller.store.activeSchedule()?.schedule {
            return (schedule.hamlets.map { ($0.id, $0.name) }, schedule.site.slots)
        }
        return (controller.configuration.site.hamlets.map { ($0.id, $0.name) }, [])
    }

    /// The empty form (or `form` as posted) with a preview when given.
    func render(form: AnnouncementForm?, preview: ProgrammePreview? = nil, speech: MediaReference? = nil,
                problems: [LocalizedText] = []) async throws -> Response {
        var form = form ?? AnnouncementForm()
        if form.id.isEmpty { form.id = controller.programmes.newProgrammeID() }
        if form.date.isEmpty { form.date = controller.configuration.wallClock.local(controller.now).date.description }
        let (hamlets, slots) = try await choices()
        let body: HTML = """
            \(problems.isEmpty ? HTML("") : problemList(problems))
            <form method="post" action="/console/announcements#preview" class="stack card" id="announcement-form"\(form.priority == .emergency ? HTML(" data-confirm=\"\(context(.liveConfirm))\"") : HTML(""))>
            \(context.csrfField)
            <input type="hidden" name="id" value="\(form.id)">
            <label for="title">\(context(.title))</label>
            <input type="text" id="title" name="title" value="\(form.title)" required maxlength="200">
            <div class="row">
            <label for="category">\(context(.category))</label>
            <select id="category" name="category">\(LoaDomain.Category.allCases.map { option($0.rawValue, context.name($0), selected: $0 == form.category) })</select>
            <label for="priority">\(context(.priority))</label>
            <select id="priority" name="priority">\(PriorityClass.allCases.map { option($0.rawValue, context.name($0), selected: $0 == form.priority) })</select>
            </div>
            <fieldset><legend>\(context(.content))</legend>
            <label class="choice"><input type="radio" name="kind" value="text"\(checked(form.kind == "text"))> \(context(.contentText))</label>
            <label class="choice"><input type="radio" name="kind" value="audio"\(checked(form.kind == "audio"))> \(context(.contentAudio))</label>
            <label class="choice"><input type="radio" name="kind" value="relay"\(checked(form.kind == "relay"))> \(context(.contentRelay))</label>
            <div data-kind="text">
            <p class="hint">\(context(.textHint))</p>
            <textarea id="text" name="text" lang="vi">\(form.text)</textarea>
            </div>
            <div data-kind="audio">
            <p class="hint">\(context(.audioHint))</p>
            <input type="file" id="audio-file" accept="audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3" data-csrf="\(context.csrfToken)"
              data-uploading="\(context(.uploading))" data-uploaded="\(context(.uploaded))" data-failed="\(context(.uploadFailed))">
            <input type="hidden" id="media" name="media" value="\(form.media)">
            <input type="hidden" id="audio-name" name="audioName" value="\(form.audioName)">
            <p id="upload-status" class="hint" role="status">\(form.audioName.isEmpty ? "" : "\(context(.uploaded)): \(form.audioName)")</p>
            <audio id="audio-preview" controls\(form.media.isEmpty ? HTML(" hidden") : HTML(" src=\"/console/media/\(form.media)\""))></audio>
            </div>
            <div data-kind="relay">
            <p class="hint">\(context(.relayHint))</p>
            <label for="relay-sources">\(context(.relayedFrom))</label>
            <textarea id="relay-sources" name="relaySources" inputmode="url" placeholder="https://radio.tinh.gov.vn/fm.mp3">\(form.relaySources)</textarea>
            <label for="relay-minutes">\(context(.relayMinutes))</label>
            <input type="number" id="relay-minutes" name="relayMinutes" min="1" max="240" inputmode="numeric" value="\(form.relayMinutes)">
            </div>
            </fieldset>
            <fieldset><legend>\(context(.hamlets))</legend>
            \(hamlets.map { hamlet in checkbox("hamlet-\(hamlet.id)", hamlet.name, checked: form.hamlets.contains(hamlet.id)) })
            </fieldset>
            <fieldset><legend>\(context(.days))</legend>
            \([("once", Phrase.once), ("daily", .daily), ("weekly", .weekly)].map { key, phrase in
                "<label class=\"choice\"><input type=\"radio\" name=\"days\" value=\"\(key)\"\(checked(form.days == key))> \(context(phrase))</label>" as HTML })
            <div data-days="once">
            <label for="date">\(context(.date))</label>
            \(DateField.input(id: "date", value: form.date))
            </div>
            <div data-days="weekly">
            <label>\(context(.weekdays))</label>
            \(Weekday.allCases.map { checkbox("wd-\($0.rawValue)", context.name($0), checked: form.weekdays.contains($0)) })
            </div>
            <div data-days="daily weekly">
            <label for="from">\(context(.from)) / \(context(.until))</label>
            \(DateField.input(id: "from", value: form.from)) – \(DateField.input(id: "until", value: form.until))
            </div>
            </fieldset>
            <fieldset><legend>\(context(.timing))</legend>
            <label class="choice"><input type="radio" name="timing" value="at"\(checked(form.timing == "at"))> \(context(.atTimes))</label>
            <label class="choice"><input type="radio" name="timing" value="slots"\(checked(form.timing == "slots"))> \(context(.inSlots))</label>
            <div data-timing="at">
            <input type="text" id="times" name="times" value="\(form.times)" placeholder="06:30, 17h15">
            <p class="hint">\(context(.timesHint))</p>
            </div>
            <div data-timing="slots">
            \(slots.map { checkbox("slot-\($0.id)", "\($0.name) (\($0.start)–\($0.end))", checked: form.slots.contains($0.id)) })
            <label for="perDay">\(context(.perDay))</label>
            <input type="number" id="perDay" name="perDay" min="1" max="10" value="\(form.perDay)"> <span class="hint">\(context(.perDayHint))</span>
            </div>
            </fieldset>
            <details\(form.disclosureItem.isEmpty && form.meetingKind.isEmpty ? HTML("") : HTML(" open"))><summary>\(context(.optionalLegal))</summary>
            <label for="disclosureItem">\(context(.disclosureItem))</label>
            <input type="number" id="disclosureItem" name="disclosureItem" min="1" max="14" value="\(form.disclosureItem)">
            <label for="decisionDate">\(context(.decisionDate))</label>
            \(DateField.input(id: "decisionDate", value: form.decisionDate))
            <label for="meetingKind">\(context(.meetingKind))</label>
            <select id="meetingKind" name="meetingKind">\(option("", context(.none), selected: form.meetingKind.isEmpty))\(MeetingKind.allCases.map { option($0.rawValue, context.language == .vi ? $0.vietnameseName : $0.rawValue, selected: $0.rawValue == form.meetingKind) })</select>
            <label for="meetingDate">\(context(.meetingDate))</label>
            \(DateField.input(id: "meetingDate", value: form.meetingDate))
            </details>
            \(form.priority == .emergency ? HTML("<p class=\"alert\">\(context(.emergencyWarning))</p>") : HTML(""))
            <div class="actions">
            <button type="submit" name="action" value="preview" class="secondary">\(context(.preview))</button>
            \(preview?.isSubmittable == true ? HTML("<button type=\"submit\" name=\"action\" value=\"submit\" class=\"primary\">\(context(.submit))</button>") : HTML(""))
            </div>
            </form>
            \(preview.map { previewSection($0, speech: speech, formID: "announcement-form") })
            """
        return Layout.page(context, title: context(.newAnnouncement), current: .newAnnouncement, body: body)
    }

    /// A posted form: previewed, or submitted when it asks and may be.
    func handle(_ posted: WebForm) async throws -> Response {
        let (hamlets, slots) = try await choices()
        let form = AnnouncementForm(posted, hamlets: hamlets.map(\.id), slots: slots.map(\.id))
        let (draft, problems) = try await form.draft(controller: controller, site: hamlets.map(\.id))
        guard var draft, problems.isEmpty else { return try await render(form: form, problems: problems) }
        var speech: MediaReference?
        if case .text(let text) = draft.content, !text.isEmpty, let audio = try await SpeechPreview.audio(for: text, controller: controller) {
            speech = audio
            draft.durationSeconds = max(1, Int((Double(audio.durationMs) / 1000).rounded(.up)))
        }
        let preview = try await controller.programmes.preview(draft, id: form.id)
        guard posted["action"] == "submit", preview.isSubmittable else {
            return try await render(form: form, preview: preview, speech: speech)
        }
        let change = try await controller.programmes.submit(draft, id: form.id, by: context.user?.name ?? "")
        return .redirect(to: "\(ConsolePage.dashboard.path)?submitted=\(form.id)&version=\(change.version)", type: .normal)
    }

    func previewSection(_ preview: ProgrammePreview, speech: MediaReference?, formID: String? = nil) -> HTML {
        let audio: HTML = switch preview.programme.content {
        case .audio(_, let media?): "<audio controls src=\"/console/media/\(media.sha256)\"></audio>"
        case .text: speech.map { "<audio controls src=\"/console/media/\($0.sha256)\"></audio>" } ?? ""
        default: ""
        }
        let airings = preview.airings.prefix(40).map { airing -> [HTML] in ["\(airing.hamletName)", "\(context.time(airing.startAt))"] }
        let findings = preview.findings.map { finding -> HTML in
            "<li><span class=\"badge \(finding.kind == .conflict ? "bad" : "warn")\">\(context(finding.kind.name))</span> \(context(finding.message))</li>"
        }
        let checks = preview.legalChecks.map { check -> HTML in
            "<li>\(LegalOutcomeBadge.html(check.outcome, context)) \(context(check.rule))\(HTML(joining: check.failures.map { "<br><span class=\"muted\">\(context($0.message))</span>" }))</li>" as HTML
        }
        return """
            <section id="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">\(context(.previewTitle)): \(preview.programme.title)</h2>
            \(preview.problems.isEmpty ? HTML("<p class=\"notice\">\(context(.checkBeforeSubmit))</p>") : problemList(preview.problems))
            <p><span class="badge">\(context.name(preview.programme.category))</span> <span class="badge\(preview.programme.priority == .normal ? "" : " bad")">\(context.name(preview.programme.priority))</span>
            · \(context(.duration)): \(preview.programme.durationSeconds) \(context(.seconds)) · \(context.describe(preview.programme.recurrence))</p>
            \(audio.text.isEmpty ? HTML("") : HTML("<h3>\(context(.listen))</h3>\(audio)"))
            <h3>\(context(.airingsPlanned)) (\(preview.airings.count))</h3>
            \(airings.isEmpty ? HTML("<p class=\"muted\">\(context(.noAirings))</p>") : DataTable(headings: [context(.hamlet), context(.scheduled)], cells: Array(airings)).html)
            <h3>\(context(.findings))</h3>
            \(findings.isEmpty ? HTML("<p class=\"muted\">\(context(.noFindings))</p>") : HTML("<ul>\(findings)</ul>"))
            <h3>\(context(.legalChecks))</h3>
            \(checks.isEmpty ? HTML("<p class=\"muted\">\(context(.noLegalChecks))</p>") : HTML("<ul>\(checks)</ul>"))
            \(preview.isSubmittable && formID != nil ? HTML("<div class=\"actions\"><button type=\"submit\" form=\"\(formID ?? "")\" name=\"action\" value=\"submit\" class=\"primary\">\(context(.submit))</button></div>") : HTML(""))
            </section>
            """
    }

    func problemList(_ problems: [LocalizedText]) -> HTML {
        "<div class=\"alert\" role=\"alert\"><strong>\(context(.problems))</strong><ul>\(problems.map { "<li>\(context($0))</li>" as HTML })</ul></div>"
    }

    private func option(_ value: String, _ label: String, selected: Bool) -> HTML {
        "<option value=\"\(value)\"\(selected ? HTML(" selected") : HTML(""))>\(label)</option>"
    }

    private func checked(_ on: Bool) -> HTML { on ? " checked" : "" }

    private func checkbox(_ name: String, _ label: String, checked on: Bool) -> HTML {
        "<label class=\"choice\"><input type=\"checkbox\" name=\"\(name)\" id=\"\(name)\"\(checked(on))> \(label)</label>"
    }
}
