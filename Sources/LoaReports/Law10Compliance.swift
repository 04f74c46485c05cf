public import Foundation
public import LoaDomain
public import LoaProtocol

/// Judges the schedules' disclosures against Law 10/2022/QH15 from what the log
/// recorded (`Law10Days`): one `Law10DisclosureCheck` per Art. 11 item and decision
/// date, hamlet by hamlet, and the quarterly list. The latest definition of each
/// programme and notice across the schedule versions is used; the site's time zone
/// and holidays come from the latest version.
public struct Law10Compliance: Sendable {
    /// Every stored schedule version, oldest first.
    public var schedules: [BroadcastSchedule]

    public init(schedules: [BroadcastSchedule]) { self.schedules = schedules }

    /// The checks of the disclosures first carried (or, never carried, decided) in
    /// `period` (local days, the end exclusive; nil ends are open), limited to `hamlet`.
    public func section(
        events: [DeviceEvent], period: (from: Date?, to: Date?), hamlet: String?, disclosureAnnouncements: Int
    ) -> Law10DisclosureSection {
        guard let latest = schedules.last else {
            return Law10DisclosureSection(
                disclosureAnnouncements: disclosureAnnouncements, checks: [],
                pending: "Chưa kiểm tra được: chưa có lịch phát nào được áp dụng, nên không biết mục công khai và ngày quyết định — "
                    + "not checked: no schedule was applied, so no disclosure item or decision date is known.")
        }
        let clock = WallClock(siteTimeZone: latest.site.timeZone)
        let days = Law10Days(events: events, clock: clock)
        let programmes = Self.latest(schedules.map(\.programmes), id: \.id)
        let notices = Self.latest(schedules.map(\.notices), id: \.id)
        let inPeriod = { (day: LocalDate) in
            (period.from.map { day >= clock.local($0).date } ?? true) && (period.to.map { day < clock.local($0).date } ?? true)
        }
        var groups: [Key: (disclosure: Disclosure, programmes: [Programme], notices: [Notice])] = [:]
        for programme in programmes {
            guard let disclosure = programme.disclosure else { continue }
            groups[Key(disclosure), default: (disclosure, [], [])].programmes.append(programme)
        }
        for notice in notices {
            guard let disclosure = notice.disclosure else { continue }
            groups[Key(disclosure), default: (disclosure, [], [])].notices.append(notice)
        }
        let checks = groups.values.map { group in
            check(group.disclosure, programmes: group.programmes, notices: group.notices, days: days, schedule: latest, hamlet: hamlet)
        }.filter { inPeriod($0.firstDisclosed ?? $0.decisionDate) }
            .sorted { ($0.decisionDate, $0.item) < ($1.decisionDate, $1.item) }
        let listed = programmes.filter { $0.disclosure != nil || $0.category == .disclosure }
            .map { (id: $0.id, title: $0.title, item: $0.disclosure?.item) }
            + notices.filter { $0.disclosure != nil || $0.category == .disclosure }
            .map { (id: $0.id, title: $0.title, item: $0.disclosure?.item) }
        let quarterly = Law10QuarterlyList.entries(listed, days: days, hamlet: hamlet).filter { inPeriod($0.from) }
        return Law10DisclosureSection(
            disclosureAnnouncements: disclosureAnnouncements, checks: checks, quarterlyList: quarterly)
    }

    private func check(
        _ disclosure: Disclosure, programmes: [Programme], notices: [Notice], days: Law10Days, schedule: BroadcastSchedule,
        hamlet only: String?
    ) -> Law10DisclosureCheck {
        let targeted = Set(programmes.flatMap { schedule.hamletIDs(of: $0.targets) } + notices.flatMap { schedule.hamletIDs(of: $0.targets) })
        let boardRequired = (1...3).contains(disclosure.item) || (5...12).contains(disclosure.item) ? 30 : nil
        let hamlets = schedule.hamlets.filter { hamlet in targeted.contains(hamlet.id) && (only.map { $0 == hamlet.id } ?? true) }
            .map { hamlet in
                Law10HamletJudgement.judge(
                    hamlet,
                    board: Law10ChannelDays(Law10Days.days(days.board, of: notices.map(\.id), in: hamlet.id), required: boardRequired),
                    loudspeaker: Law10ChannelDays(
                        Law10Days.days(days.loudspeaker, of: programmes.map(\.id), in: hamlet.id),
                        required: disclosure.needsLoudspeakerDays))
            }
        let dueBy = disclosure.decisionDate.adding(workingDays: Disclosure.dueWithinWorkingDays, holidays: schedule.site.holidays)
        let first = hamlets.flatMap { [$0.board.first, $0.loudspeaker.first] }.compactMap { $0 }.min()
        let onTime = first.map { $0 <= dueBy } ?? false
        return Law10DisclosureCheck(
            item: disclosure.item, decisionDate: disclosure.decisionDate,
            title: notices.first?.title ?? programmes.first?.title ?? "", programmes: programmes.map(\.id),
            notices: notices.map(\.id), dueBy: dueBy, firstDisclosed: first, onTime: onTime, hamlets: hamlets,
            passes: onTime && hamlets.allSatisfy(\.passes))
    }

    /// A disclosure: its item and decision date.
    private struct Key: Hashable {
        var item: Int
        var decided: LocalDate

        init(_ disclosure: Disclosure) {
            item = disclosure.item
            decided = disclosure.decisionDate
        }
    }

    /// The last definition of each id across `versions` (oldest first), in the order ids first appear.
    private static func latest<Value>(_ versions: [[Value]], id: (Value) -> String) -> [Value] {
        var order: [String] = []
        var byID: [String: Value] = [:]
        for value in versions.joined() {
            let key = id(value)
            if byID[key] == nil { order.append(key) }
            byID[key] = value
        }
        return order.compactMap { byID[$0] }
    }
}
