/// The checks the Law on grassroots democracy (10/2022/QH15) and Decree 59/2023
/// ask of a plan, per programme:
/// - Art. 13: disclosures of Art. 11 items 7–12 air on the loudspeakers on at least
///   3 consecutive days in every hamlet they target;
/// - Art. 12: a disclosure airs within 5 working days of its decision;
/// - Decree 59/2023: a meeting notice airs at least 2, 5 or 7 days (by kind) before the meeting.
///
/// A check is judged on the plan's airings; one whose period the plan does not
/// cover says so instead of guessing (`Planner.legalWindow` gives a plan that covers all).
public enum LegalChecks {
    /// Every check of every disclosure and meeting notice in `plan`, in programme order.
    public static func evaluate(_ plan: Plan, of planner: Planner) -> [LegalCheck] {
        let schedule = planner.schedule
        // Days each programme airs in each hamlet.
        var airedDays: [Int: [Int: Set<LocalDate>]] = [:]
        for occurrence in plan.occurrences where isChecked(schedule.programmes[occurrence.programme]) {
            airedDays[occurrence.programme, default: [:]][occurrence.hamlet, default: []].insert(occurrence.date)
        }
        var checks: [LegalCheck] = []
        for (index, programme) in schedule.programmes.enumerated() where isChecked(programme) {
            let hamlets = schedule.hamlets.indices.filter { planner.targets(programme: index, hamlet: $0) }
            let days = airedDays[index] ?? [:]
            if let disclosure = programme.disclosure {
                if let needed = disclosure.needsLoudspeakerDays {
                    checks.append(consecutiveDays(needed, programme: index, hamlets: hamlets, days: days, plan: plan, schedule: schedule))
                }
                checks.append(disclosureDeadline(disclosure, programme: index, hamlets: hamlets, days: days, plan: plan, schedule: schedule))
            }
            if let meeting = programme.meeting {
                checks.append(meetingLead(meeting, programme: index, hamlets: hamlets, days: days, plan: plan, schedule: schedule))
            }
        }
        return checks
    }

    private static func isChecked(_ programme: Programme) -> Bool { programme.disclosure != nil || programme.meeting != nil }

    // MARK: Art. 13: loudspeakers on consecutive days

    private static func consecutiveDays(
        _ needed: Int, programme index: Int, hamlets: [Int], days: [Int: Set<LocalDate>], plan: Plan, schedule: BroadcastSchedule
    ) -> LegalCheck {
        let programme = schedule.programmes[index]
        var short: [(hamlet: Int, run: Int)] = []
        for hamlet in hamlets {
            let run = (days[hamlet] ?? []).longestConsecutiveRun
            if run < needed { short.append((hamlet, run)) }
        }
        let rule = LocalizedText(
            vi: "Điều 13 Luật 10/2022: mục \(programme.disclosure!.item) phát trên loa ít nhất \(needed) ngày liên tiếp",
            en: "Art. 13 Law 10/2022: item \(programme.disclosure!.item) on the loudspeakers on ≥ \(needed) consecutive days")
        if short.isEmpty {
            return LegalCheck(programme: index, requirement: .loudspeakerDays, outcome: .passed, rule: rule, failures: [])
        }
        // Days the programme may air that the plan does not show: judging them would be a guess.
        if !coversAiringPeriod(of: programme, plan: plan) {
            return LegalCheck(programme: index, requirement: .loudspeakerDays, outcome: .notCovered, rule: rule, failures: [])
        }
        return LegalCheck(
            programme: index, requirement: .loudspeakerDays, outcome: .failed, rule: rule,
            failures: short.map { entry in
                LegalCheck.Failure(
                    hamlet: entry.hamlet,
                    message: LocalizedText(
                        vi: "\(schedule.hamlets[entry.hamlet].name): chỉ phát \(entry.run) ngày liên tiếp, cần \(needed)",
                        en: "\(schedule.hamlets[entry.hamlet].id): aired on \(entry.run) consecutive day(s), needs \(needed)"))
            })
    }


    // MARK: What a plan must cover to judge

    /// The first day a programme may air, when its recurrence says.
    static func firstPossibleDay(of programme: Programme) -> LocalDate? {
        if case .once(let day) = programme.recurrence.days { return max(day, programme.recurrence.from ?? day) }
        return programme.recurrence.from
    }

    /// True when the plan shows every day the programme may air, or (open-ended) its first two weeks.
    static func coversAiringPeriod(of programme: Programme, plan: Plan) -> Bool {
        guard let first = firstPossibleDay(of: programme), plan.from <= first else { return false }
        let last: LocalDate =
            if case .once(let day) = programme.recurrence.days { day } else { programme.recurrence.until ?? first.adding(days: 13) }
        return plan.through >= last
    }

    /// Whether `plan` can judge a rule that wants a first airing by `deadline`: either the
    /// programme cannot air before the deadline at all (it fails whatever the plan), or
    /// the plan shows every day from its first possible day to the deadline. A programme
    /// that does not say when it starts is taken to start no earlier than `notBefore` (a
    /// disclosure's decision; 30 days before a meeting): what aired before the plan's
    /// first day is not in it, so a plan that begins later cannot say it was missing.
    static func canJudge(_ programme: Programme, by deadline: LocalDate, notBefore: LocalDate, plan: Plan) -> Bool {
        let earliest = firstPossibleDay(of: programme) ?? notBefore
        return earliest > deadline || (plan.from <= earliest && plan.through >= deadline)
    }

    /// The earliest a meeting notice without a first day is taken to air.
    static func earliestNotice(of meeting: MeetingNotice) -> LocalDate { meeting.date.adding(days: -30) }

    /// The days a plan must span to judge every check of `schedule`: from the first
    /// day a checked programme may air (or its decision) to the last deadline or
    /// meeting; nil when nothing is checked.
    public static func window(for schedule: BroadcastSchedule) -> (from: LocalDate, days: Int)? {
        var from: LocalDate?
        var through: LocalDate?
        func include(_ day: LocalDate) {
            from = min(from ?? day, day)
            through = max(through ?? day, day)
        }
        for programme in schedule.programmes where isChecked(programme) {
            let first = firstPossibleDay(of: programme)
            if let first {
                include(first)
                if case .once = programme.recurrence.days {} else { include(programme.recurrence.until ?? first.adding(days: 13)) }
            }
            if let disclosure = programme.disclosure {
                include(disclosure.decisionDate)
                include(disclosure.decisionDate.adding(workingDays: Disclosure.dueWithinWorkingDays, holidays: schedule.site.holidays))
            }
            if let meeting = programme.meeting {
                if first == nil { include(earliestNotice(of: meeting)) }
                include(meeting.date)
            }
        }
        guard let from, let through else { return nil }
        return (from, from.days(to: through) + 1)
    }

    // MARK: Art. 12: within 5 working days

    private static func disclosureDeadline(
        _ disclosure: Disclosure, programme index: Int, hamlets: [Int], days: [Int: Set<LocalDate>], plan: Plan,
        schedule: BroadcastSchedule
    ) -> LegalCheck {
        let deadline = disclosure.decisionDate.adding(workingDays: Disclosure.dueWithinWorkingDays, holidays: schedule.site.holidays)
        let rule = LocalizedText(
            vi: "Điều 12 Luật 10/2022: công khai trong \(Disclosure.dueWithinWorkingDays) ngày làm việc kể từ quyết định \(disclosure.decisionDate.vietnameseDescription), tức chậm nhất ngày \(deadline.vietnameseDescription)",
            en: "Art. 12 Law 10/2022: disclosed within \(Disclosure.dueWithinWorkingDays) working days of the decision of \(disclosure.decisionDate), i.e. by \(deadline)")
        guard canJudge(schedule.programmes[index], by: deadline, notBefore: disclosure.decisionDate, plan: plan) else {
            return LegalCheck(programme: index, requirement: .disclosureDeadline, outcome: .notCovered, rule: rule, failures: [])
        }
        let failures = firstAiringsLaterThan(deadline, hamlets: hamlets, days: days, schedule: schedule) { name, first in
            first.map { first in
                LocalizedText(
                    vi: "\(name.name): phát lần đầu ngày \(first.vietnameseDescription), quá hạn \(deadline.vietnameseDescription)",
                    en: "\(name.id): first aired on \(first), after the deadline \(deadline)")
            } ?? LocalizedText(
                vi: "\(name.name): không được phát trước hạn \(deadline.vietnameseDescription)",
                en: "\(name.id): not aired by the deadline \(deadline)")
        }
        return LegalCheck(
            programme: index, requirement: .disclosureDeadline, outcome: failures.isEmpty ? .passed : .failed, rule: rule,
            failures: failures)
    }

    /// The hamlets whose first airing is missing or later than `latest`, each with `message(hamlet, firstAiring)`.
    private static func firstAiringsLaterThan(
        _ latest: LocalDate, hamlets: [Int], days: [Int: Set<LocalDate>], schedule: BroadcastSchedule,
        message: (ScheduleHamlet, LocalDate?) -> LocalizedText
    ) -> [LegalCheck.Failure] {
        hamlets.compactMap { hamlet in
            let first = (days[hamlet] ?? []).min()
            if let first, first <= latest { return nil }
            return LegalCheck.Failure(hamlet: hamlet, message: message(schedule.hamlets[hamlet], first))
        }
    }


    // MARK: Decree 59/2023: meeting notices ahead

    private static func meetingLead(
        _ meeting: MeetingNotice, programme index: Int, hamlets: [Int], days: [Int: Set<LocalDate>], plan: Plan,
        schedule: BroadcastSchedule
    ) -> LegalCheck {
        let latest = meeting.date.adding(days: -meeting.kind.leadDays)
        let rule = LocalizedText(
            vi: "Nghị định 59/2023: thông báo \(meeting.kind.vietnameseName.lowercased()) ngày \(meeting.date.vietnameseDescription) phải phát trước ít nhất \(meeting.kind.leadDays) ngày, tức chậm nhất ngày \(latest.vietnameseDescription)",
            en: "Decree 59/2023: notice of the \(meeting.kind.rawValue) meeting on \(meeting.date) airs ≥ \(meeting.kind.leadDays) days ahead, i.e. by \(latest)")
        guard canJudge(schedule.programmes[index], by: latest, notBefore: earliestNotice(of: meeting), plan: plan) else {
            return LegalCheck(programme: index, requirement: .meetingLeadTime, outcome: .notCovered, rule: rule, failures: [])
        }
        let failures = firstAiringsLaterThan(latest, hamlets: hamlets, days: days, schedule: schedule) { name, first in
            first.map { first in
                LocalizedText(
                    vi: "\(name.name): phát lần đầu ngày \(first.vietnameseDescription), chỉ trước cuộc họp \(first.days(to: meeting.date)) ngày; cần ít nhất \(meeting.kind.leadDays)",
                    en: "\(name.id): first aired on \(first), only \(first.days(to: meeting.date)) day(s) before the meeting; needs \(meeting.kind.leadDays)")
            } ?? LocalizedText(
                vi: "\(name.name): không có buổi phát nào trước ngày \(latest.vietnameseDescription)",
                en: "\(name.id): no airing by \(latest)")
        }
        return LegalCheck(
            programme: index, requirement: .meetingLeadTime, outcome: failures.isEmpty ? .passed : .failed, rule: rule,
            failures: failures)
    }
}

/// The outcome of one legal requirement for one programme.
public struct LegalCheck: Sendable, Equatable {
    public enum Requirement: String, Sendable, Codable {
        /// Art. 13: items 7–12 on the loudspeakers on ≥ 3 consecutive days.
        case loudspeakerDays = "loudspeaker-days"
        /// Art. 12: within 5 working days of the decision.
        case disclosureDeadline = "disclosure-deadline"
        /// Decree 59/2023: meeting notices ≥ 2, 5 or 7 days ahead.
        case meetingLeadTime = "meeting-lead-time"
    }

    public enum Outcome: String, Sendable, Codable {
        case passed, failed
        /// The plan does not cover the days the requirement is about.
        case notCovered = "not-covered"
    }

    /// One hamlet where the requirement is not met.
    public struct Failure: Sendable, Equatable {
        public var hamlet: Int
        public var message: LocalizedText
    }

    /// Index into `BroadcastSchedule.programmes`.
    public var programme: Int
    public var requirement: Requirement
    public var outcome: Outcome
    /// The rule, with the dates that apply to this programme.
    public var rule: LocalizedText
    public var failures: [Failure]
}
