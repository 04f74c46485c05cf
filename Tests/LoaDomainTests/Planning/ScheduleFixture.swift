import LoaDomain

/// A small commune to plan: three hamlets, a morning and an evening session
/// Monday–Saturday of 10 minutes each, quiet hours 21:30–05:00.
enum ScheduleFixture {
    static let morning = BroadcastSlot(
        id: "sang", name: "Buổi sáng", start: LocalTime(hour: 5, minute: 0)!, end: LocalTime(hour: 5, minute: 30)!,
        weekdays: [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday], maxMinutes: 10)
    static let evening = BroadcastSlot(
        id: "chieu", name: "Buổi chiều", start: LocalTime(hour: 17, minute: 0)!, end: LocalTime(hour: 17, minute: 30)!,
        weekdays: [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday], maxMinutes: 10)

    static func site(timeZone: String = "Asia/Ho_Chi_Minh", holidays: [LocalDate] = []) -> SiteSettings {
        SiteSettings(
            id: "xa-thu-nghiem", name: "Xã Thử Nghiệm", timeZone: timeZone, slots: [morning, evening],
            quietHours: [QuietHours(start: LocalTime(hour: 21, minute: 30)!, end: LocalTime(hour: 5, minute: 0)!)],
            holidays: holidays, gapSeconds: 5)
    }

    static let hamlets = [
        ScheduleHamlet(id: "thon-dong", name: "Thôn Đông"), ScheduleHamlet(id: "thon-doai", name: "Thôn Đoài"),
        ScheduleHamlet(id: "thon-bai", name: "Thôn Bãi"),
    ]

    static func schedule(_ programmes: [Programme], site: SiteSettings = site()) -> BroadcastSchedule {
        BroadcastSchedule(
            site: site, hamlets: hamlets,
            groups: [HamletGroup(id: "ven-song", name: "Ven sông", hamlets: ["thon-bai", "thon-dong"])],
            programmes: programmes)
    }

    /// An audio programme of `seconds` in the sessions.
    static func programme(
        _ id: String, seconds: Int = 120, priority: PriorityClass = .normal, category: Category = .propaganda,
        days: DayPattern = .daily, from: LocalDate? = nil, until: LocalDate? = nil,
        times: AiringTimes = .inSlots([], timesPerDay: nil), targets: Targets = .all,
        disclosure: Disclosure? = nil, meeting: MeetingNotice? = nil
    ) -> Programme {
        Programme(
            id: id, title: "Chương trình \(id)", category: category, priority: priority,
            content: .audio(path: "\(id).mp3", media: nil), durationSeconds: seconds, targets: targets,
            recurrence: Recurrence(days: days, from: from, until: until, times: times),
            disclosure: disclosure, meeting: meeting)
    }

    static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }
    static func time(_ text: String) -> LocalTime { LocalTime(text: text)! }
}
