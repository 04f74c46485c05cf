import Foundation
public import LoaDomain
import LoaProtocol
import LoaStore
import Logging

extension ProgrammeDesk {
    /// Days a preview plans at least; longer when the programme's recurrence says so.
    static let previewDays = 14
    /// Days a preview plans at most.
    static let previewMaximumDays = 62

    /// A fresh programme id for a console announcement: `tb-YYYYMMDD-xxxxxx`.
    public func newProgrammeID() -> String {
        let now = clock()
        let today = wallClock.local(now).date
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(6)
        return "tb-\(today.description.replacingOccurrences(of: "-", with: ""))-\(suffix)"
    }

    /// Plans `draft` under `id` together with the active schedule: its airings, what it
    /// adds to the plan's conflicts and overflows, its legal checks, and what keeps it
    /// from being submitted.
    public func preview(_ draft: ProgrammeDraft, id: String) async throws -> ProgrammePreview {
        let now = clock()
        let active = try await store.activeSchedule()
        let programme = draft.programme(id: id)
        var problems = draftProblems(draft, id: id, in: active?.schedule)
        let today = wallClock.local(now).date
        let days = Self.previewSpan(of: draft.recurrence, from: today)
        guard let base = active?.schedule else {
            return ProgrammePreview(
                programme: programme, baseVersion: nil, airings: [], findings: [], legalChecks: [], problems: problems,
                from: today, days: days, hamletNames: [])
        }
        var schedule = base
        schedule.programmes.append(programme)
        let index = schedule.programmes.count - 1
        let planner = try Planner(schedule: schedule)
        let plan = planner.plan(from: today, days: days)
        let before = Set(try Planner(schedule: base).plan(from: today, days: days).findings.map(FindingKey.init))
        let airings = plan.occurrences.filter { $0.programme == index && $0.startAt >= now }.sorted { $0.startAt < $1.startAt }
            .map { occurrence in
                ProgrammePreview.Airing(
                    hamlet: schedule.hamlets[occurrence.hamlet].id, hamletName: schedule.hamlets[occurrence.hamlet].name,
                    date: occurrence.date, start: occurrence.start, startAt: occurrence.startAt,
                    item: schedule.occurrenceID(occurrence))
            }
        if airings.isEmpty, problems.isEmpty {
            problems.append(Self.whyNoAiring(plan: plan, programme: index, in: schedule, days: days))
        }
        return ProgrammePreview(
            programme: programme, baseVersion: active?.version, airings: airings,
            findings: plan.findings.filter { !before.contains(FindingKey($0)) },
            legalChecks: LegalChecks.evaluate(plan, of: planner).filter { $0.programme == index },
            problems: problems, from: today, days: days, hamletNames: schedule.hamlets.map(\.name))
    }

    /// Why programme `index` has no airing ahead, naming the real reason: its times all
    /// fall in quiet hours, they have passed, its slots are full; else where to look.
    static func whyNoAiring(plan: Plan, programme index: Int, in schedule: BroadcastSchedule, days: Int) -> LocalizedText {
        let findings = plan.findings.filter { $0.programme == index }
        if findings.contains(where: { $0.kind == .quietHours }) {
            let hours = schedule.site.quietHours.map { "\($0.start)–\($0.end)" }.joined(separator: ", ")
            return LocalizedText(
                vi: "Giờ phát rơi vào giờ yên tĩnh (\(hours)): khi đó chỉ tin khẩn cấp được phát; hãy chọn giờ khác",
                en: "its times fall in quiet hours (\(hours)), when only an emergency airs; choose another time")
        }
        if plan.occurrences.contains(where: { $0.programme == index }) {
            return LocalizedText(
                vi: "Giờ phát đã qua: hãy chọn một giờ sau bây giờ", en: "its time has passed: choose a time after now")
        }
        if findings.contains(where: { $0.kind == .overflow }) {
            return LocalizedText(
                vi: "Các buổi phát đã chọn đã đầy: hãy chọn buổi khác, giờ cố định hoặc bớt nội dung",
                en: "the chosen slots are full: choose other slots, a fixed time, or shorten it")
        }
        return LocalizedText(
            vi: "Chương trình không có lần phát nào trong \(days) ngày tới: kiểm tra ngày, giờ và buổi phát",
            en: "the programme has no airing in the next \(days) days: check its days, times and slots")
    }

    /// Adds `draft` under `id` to the active schedule as a new version applied by
    /// `user` (an officer); it airs once approved.
    /// - Throws: `ControllerError.invalidRequest` with the preview's problems.
    @discardableResult
    public func submit(_ draft: ProgrammeDraft, id: String, by user: String) async throws -> ScheduleChange {
        let preview = try await preview(draft, id: id)
        guard preview.isSubmittable, let active = try await store.activeSchedule() else {
            throw ControllerError.invalidRequest(preview.problems.map(\.description))
        }
        var schedule = active.schedule
        schedule.programmes.append(preview.programme)
        var sources = try await store.scheduleSources(version: active.version) ?? [:]
        sources["console/\(id).json"] = String(decoding: try WireCoding.encode(preview.programme), as: UTF8.self)
        logger.info("programme submitted from the console", metadata: ["programme": "\(id)", "by": "\(user)"])
        return try await applySchedule(schedule, sourceFiles: sources, by: user)
    }

    /// Everything wrong with `draft` before planning it.
    private func draftProblems(_ draft: ProgrammeDraft, id: String, in schedule: BroadcastSchedule?) -> [LocalizedText] {
        var problems: [LocalizedText] = []
        guard let schedule else {
            return [LocalizedText(
                vi: "Chưa có lịch phát nào đang dùng: cần áp dụng lịch trước (loa schedule apply)",
                en: "there is no active schedule yet: apply one first (loa schedule apply)")]
        }
        if let problem = Identifier.problem(with: id) {
            problems.append(LocalizedText(vi: "Mã chương trình không hợp lệ: \(problem)", en: "invalid programme id: \(problem)"))
        }
        if schedule.programmes.contains(where: { $0.id == id }) || schedule.notices.contains(where: { $0.id == id }) {
            problems.append(LocalizedText(
                vi: "Mã \(id) đã có trong lịch; tải lại trang để lấy mã mới", en: "id \(id) is already in the schedule; reload the page"))
        }
        if draft.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(LocalizedText(vi: "Tiêu đề: chưa nhập", en: "title: is empty"))
        }
        if draft.hamlets.isEmpty {
            problems.append(LocalizedText(vi: "Thôn: chọn ít nhất một thôn", en: "hamlets: choose at least one"))
        }
        let known = Set(schedule.hamlets.map(\.id))
        for hamlet in draft.hamlets where !known.contains(hamlet) {
            problems.append(LocalizedText(
                vi: "Thôn \(hamlet) không có trong lịch đang dùng", en: "hamlet \(hamlet) is not in the active schedule"))
        }
        switch draft.content {
        case .text(let text) where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            problems.append(LocalizedText(vi: "Nội dung: chưa nhập văn bản", en: "content: the text is empty"))
        case .audio(_, nil):
            problems.append(LocalizedText(vi: "Âm thanh: chưa tải tệp lên", en: "audio: no file uploaded"))
        case .relay where dispatcher.relay == nil, .live where dispatcher.relay == nil:
            problems.append(LocalizedText(
                vi: "Tiếp sóng: máy chủ chưa cấu hình tiếp sóng (Icecast, ffmpeg); hãy nhờ kỹ thuật viên (docs/relay.md)",
                en: "relay: this controller has no relay set up (Icecast, ffmpeg); ask the technician (docs/relay.md)"))
        default: break
        }
        if case .inSlots(let slots, _) = draft.recurrence.times {
            for slot in slots where schedule.slot(slot) == nil {
                problems.append(LocalizedText(vi: "Buổi phát \(slot) không có trong lịch", en: "slot \(slot) is not in the schedule"))
            }
        }
        if case .at(let times) = draft.recurrence.times, times.isEmpty {
            problems.append(LocalizedText(vi: "Giờ phát: nhập ít nhất một giờ", en: "times: give at least one time"))
        }
        if draft.priority == .emergency, case .inSlots = draft.recurrence.times {
            problems.append(LocalizedText(
                vi: "Tin khẩn cấp phát vào giờ cố định, không xếp vào buổi phát", en: "an emergency airs at fixed times, not in slots"))
        }
        return problems
    }

    /// How many days a preview plans from `today` for `recurrence`.
    private static func previewSpan(of recurrence: Recurrence, from today: LocalDate) -> Int {
        var last = recurrence.until
        if case .once(let day) = recurrence.days { last = day }
        guard let last else { return previewDays }
        return min(max(today.days(to: last) + 1, previewDays), previewMaximumDays)
    }
}

/// A finding's identity, to tell which findings a new programme adds.
private struct FindingKey: Hashable {
    var kind: PlanFinding.Kind
    var programme: Int
    var hamlet: Int
    var date: LocalDate
    var message: LocalizedText

    init(_ finding: PlanFinding) {
        (kind, programme, hamlet, date, message) = (finding.kind, finding.programme, finding.hamlet, finding.date, finding.message)
    }
}
