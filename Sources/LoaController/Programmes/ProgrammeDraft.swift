public import LoaDomain

/// A programme an officer composes in the console, before it has an id: what it
/// plays, to whom and when. `ProgrammeDesk.preview(_:id:)` plans it against the active
/// schedule; `ProgrammeDesk.submit(_:id:by:)` adds it as a new schedule version.
public struct ProgrammeDraft: Sendable, Equatable {
    public var title: String
    public var category: Category
    public var priority: PriorityClass
    /// Text read by text-to-speech, or uploaded audio.
    public var content: ProgrammeContent
    /// How long it airs: the audio's length, or an estimate for text.
    public var durationSeconds: Int
    /// Hamlet ids; at least one.
    public var hamlets: [String]
    public var recurrence: Recurrence
    public var disclosure: Disclosure?
    public var meeting: MeetingNotice?

    public init(
        title: String, category: Category, priority: PriorityClass, content: ProgrammeContent, durationSeconds: Int,
        hamlets: [String], recurrence: Recurrence, disclosure: Disclosure? = nil, meeting: MeetingNotice? = nil
    ) {
        self.title = title
        self.category = category
        self.priority = priority
        self.content = content
        self.durationSeconds = durationSeconds
        self.hamlets = hamlets
        self.recurrence = recurrence
        self.disclosure = disclosure
        self.meeting = meeting
    }

    /// Seconds a text takes to read aloud, roughly: Vietnamese is read at about
    /// 2.5 syllables a second, plus a second of lead-in and tail.
    public static func estimatedSeconds(reading text: String) -> Int {
        let syllables = text.split(whereSeparator: { $0.isWhitespace }).count
        return max(3, Int((Double(syllables) / 2.5).rounded(.up)) + 2)
    }

    /// The programme it becomes under `id`.
    func programme(id: String) -> Programme {
        Programme(
            id: id, title: title, category: category, priority: priority, content: content,
            durationSeconds: durationSeconds, targets: .hamlets(hamlets), recurrence: recurrence,
            disclosure: disclosure, meeting: meeting)
    }
}
