import LoaDomain

/// A programme as written, every part located, for the checks that need the whole
/// schedule (slots, hamlets, quiet hours) before it becomes a `Programme`.
struct ProgrammeDraft {
    /// `programmes[2]`.
    var field: String
    /// Where the item starts.
    var position: SourcePosition
    var id: Located<String>?
    var title: String?
    var category: Located<Category>?
    var priority: Located<PriorityClass>
    var content: ProgrammeContent?
    /// The absolute path of the audio file, when it was read.
    var audioFile: String?
    var duration: Located<Int>?
    var targets: Located<Targets>
    var timing: TimingDraft
    var volume: Int?
    var disclosure: Located<Disclosure>?
    var meeting: Located<MeetingNotice>?

    /// The domain programme, when every required part was read.
    var programme: Programme? {
        guard let id, let title, let category, let content, let duration, let recurrence = timing.recurrence else {
            return nil
        }
        return Programme(
            id: id.value, title: title, category: category.value, priority: priority.value, content: content,
            durationSeconds: duration.value, targets: targets.value, recurrence: recurrence, volume: volume,
            disclosure: disclosure?.value, meeting: meeting?.value)
    }
}

/// When a programme airs, as written.
struct TimingDraft {
    var repeatKind: Located<RepeatKind>?
    var days: Located<Set<Weekday>>?
    var dayOfMonth: Located<Int>?
    var date: Located<LocalDate>?
    var from: Located<LocalDate>?
    var until: Located<LocalDate>?
    /// Fixed times (`at:`), the list located at the field.
    var at: Located<[Located<LocalTime>]>?
    /// Slot ids (`slots:`), the list located at the field.
    var slots: Located<[Located<String>]>?
    var timesPerDay: Located<Int>?

    var dayPattern: DayPattern? {
        switch repeatKind?.value {
        case .once: date.map { .once($0.value) }
        case .daily: .daily
        case .weekly: days.map { .weekly($0.value) }
        case .monthly: dayOfMonth.map { .monthly(day: $0.value) }
        case nil: nil
        }
    }

    var airingTimes: AiringTimes {
        if let at { return .at(at.value.map(\.value)) }
        return .inSlots(slots?.value.map(\.value) ?? [], timesPerDay: timesPerDay?.value)
    }

    var recurrence: Recurrence? {
        dayPattern.map { Recurrence(days: $0, from: from?.value, until: until?.value, times: airingTimes) }
    }

    /// True when the planner places it in slots (no `at:`).
    var isInSlots: Bool { at == nil }
}
