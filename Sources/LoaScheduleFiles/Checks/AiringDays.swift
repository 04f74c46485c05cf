import LoaDomain

/// The days a programme can air, as far as the schedule alone tells: days its recurrence
/// includes, on which (for a programme placed in slots) one of its slots runs.
enum AiringDays {
    /// At most this many days are walked for a programme without `until`.
    static let horizon = 400

    /// The dates from the first possible day on, or nil when the file does not say where
    /// they start (no `from`, not `once`).
    static func dates(of draft: ProgrammeDraft, site: SiteDraft) -> [LocalDate]? {
        let timing = draft.timing
        guard let recurrence = timing.recurrence else { return nil }
        let start: LocalDate
        switch recurrence.days {
        case .once(let day): start = day
        default:
            guard let from = timing.from?.value else { return nil }
            start = from
        }
        let end = recurrence.until ?? start.adding(days: horizon)
        let slotDays = slotWeekdays(of: draft, site: site)
        var dates: [LocalDate] = []
        var day = start
        while day <= end, dates.count <= horizon {
            if recurrence.includes(day), slotDays.map({ $0.contains(day.weekday) }) ?? true { dates.append(day) }
            if case .once = recurrence.days { break }
            day = day.adding(days: 1)
        }
        return dates
    }

    /// The weekdays its slots run, or nil when it airs at fixed times (any day).
    private static func slotWeekdays(of draft: ProgrammeDraft, site: SiteDraft) -> Set<Weekday>? {
        guard draft.timing.isInSlots, draft.priority.value != .emergency else { return nil }
        let listed = draft.timing.slots?.value.map(\.value) ?? []
        let slots = site.slots.map(\.value).filter { listed.isEmpty || listed.contains($0.id) }
        return slots.reduce(into: Set<Weekday>()) { $0.formUnion($1.weekdays) }
    }
}
