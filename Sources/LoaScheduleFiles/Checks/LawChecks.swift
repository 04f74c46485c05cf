import LoaDomain

/// Deadlines the law sets: disclosures within 5 working days and, for items 7–12, on the
/// loudspeakers at least 3 consecutive days (Law 10/2022/QH15 Art. 12–13); meeting notices
/// the days ahead Decree 59/2023 asks.
enum LawChecks {
    static func run(site: SiteDraft, programmes: [ProgrammeDraft], log: DiagnosticLog) {
        for draft in programmes {
            let dates = AiringDays.dates(of: draft, site: site)
            if let disclosure = draft.disclosure { check(disclosure, of: draft, dates: dates, site: site, log) }
            if let meeting = draft.meeting { check(meeting, of: draft, dates: dates, log) }
        }
    }

    private static func check(
        _ disclosure: Located<Disclosure>, of draft: ProgrammeDraft, dates: [LocalDate]?, site: SiteDraft,
        _ log: DiagnosticLog
    ) {
        guard let dates else { return }
        let item = disclosure.value.item
        checkDeadline(
            disclosure, first: dates.first, site: site, log,
            first: (vi: "lần phát đầu tiên theo lịch", en: "the first airing"), fix: "cho phát sớm hơn")
        guard let needed = disclosure.value.needsLoudspeakerDays else { return }
        let run = dates.longestConsecutiveRun
        if run < needed {
            disclosure.warning(
                log, "disclosure-too-few-days",
                vi: "nội dung công khai mục \(item) phải được phát trên hệ thống loa ít nhất \(needed) ngày liên tiếp (Điều 13); theo lịch này chỉ có \(run) ngày liên tiếp có buổi phát; hãy kéo dài until hoặc dùng repeat: daily",
                en: "disclosure item \(item) must air on the loudspeakers on at least \(needed) consecutive days (Art. 13); as scheduled it airs on at most \(run) consecutive day(s); extend until or use repeat: daily")
        }
    }

    /// Art. 12: disclosed within 5 working days of the decision (weekends and the site's holidays skipped).
    /// - Parameters:
    ///   - first: the first day it is aired or posted.
    ///   - words: what that first day is, in the message ("the first airing").
    ///   - fix: what to do, in Vietnamese ("cho phát sớm hơn").
    static func checkDeadline(
        _ disclosure: Located<Disclosure>, first: LocalDate?, site: SiteDraft, _ log: DiagnosticLog,
        first words: (vi: String, en: String), fix: String
    ) {
        let decided = disclosure.value.decisionDate
        let deadline = decided.adding(workingDays: Disclosure.dueWithinWorkingDays, holidays: site.holidays)
        guard let first, first > deadline else { return }
        disclosure.warning(
            log, "disclosure-late",
            vi: "Luật Thực hiện dân chủ ở cơ sở (Điều 12) yêu cầu công khai trong \(Disclosure.dueWithinWorkingDays) ngày làm việc kể từ ngày quyết định \(decided.vietnameseDescription), tức là chậm nhất ngày \(deadline.vietnameseDescription); \(words.vi) là \(first.vietnameseDescription); hãy \(fix), ví dụ from: \(deadline)",
            en: "the Law on grassroots democracy (Art. 12) asks for disclosure within \(Disclosure.dueWithinWorkingDays) working days of the decision of \(decided), that is by \(deadline); \(words.en) is \(first); start earlier, e.g. from: \(deadline)")
    }

    private static func check(
        _ meeting: Located<MeetingNotice>, of draft: ProgrammeDraft, dates: [LocalDate]?, _ log: DiagnosticLog
    ) {
        let notice = meeting.value
        let latest = notice.date.adding(days: -notice.kind.leadDays)
        if let dates {
            let first = dates.first
            if first.map({ $0 > latest }) ?? true {
                let aired = first.map { "lần phát đầu tiên theo lịch là \($0.vietnameseDescription)" } ?? "theo lịch này thông báo không được phát lần nào"
                let airedEN = first.map { "the first airing is \($0)" } ?? "as scheduled it never airs"
                meeting.warning(
                    log, "meeting-notice-late",
                    vi: "\(notice.kind.vietnameseName) ngày \(notice.date.vietnameseDescription) cần được thông báo ít nhất \(notice.kind.leadDays) ngày trước (Nghị định 59/2023), tức là từ ngày \(latest.vietnameseDescription) trở về trước; \(aired); hãy cho phát sớm hơn, ví dụ from: \(latest)",
                    en: "a \(notice.kind.rawValue) on \(notice.date) must be announced at least \(notice.kind.leadDays) days ahead (Decree 59/2023), that is by \(latest); \(airedEN); air it earlier, e.g. from: \(latest)")
            }
        }
        let last = draft.timing.repeatKind?.value == .once ? draft.timing.date?.value : draft.timing.until?.value
        if last.map({ $0 > notice.date }) ?? true {
            let dayBefore = notice.date.adding(days: -1)
            meeting.warning(
                log, "meeting-notice-after",
                vi: "thông báo vẫn được phát sau ngày họp \(notice.date.vietnameseDescription); hãy cho dừng trước ngày họp, ví dụ until: \(dayBefore)",
                en: "the notice keeps airing after the meeting on \(notice.date); end it before, e.g. until: \(dayBefore)")
        }
    }
}
