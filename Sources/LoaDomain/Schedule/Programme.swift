/// Something the commune airs, once or on a recurrence: a piece of audio or a
/// text to be read by text-to-speech.
public struct Programme: Sendable, Equatable, Codable {
    /// Unique in the schedule; occurrences and log entries name it.
    public var id: String
    /// Its title in Vietnamese, shown in plans, logs and reports.
    public var title: String
    public var category: Category
    public var priority: PriorityClass
    public var content: ProgrammeContent
    /// How long it airs, in seconds: measured from the audio when the file is read,
    /// estimated for text (or given in the file).
    public var durationSeconds: Int
    /// Which hamlets air it.
    public var targets: Targets
    /// When it airs.
    public var recurrence: Recurrence
    /// Speaker volume 1–10; the site's default when nil.
    public var volume: Int?
    /// For a disclosure: what the Law on grassroots democracy asks of it.
    public var disclosure: Disclosure?
    /// For a dialogue or meeting notice: the meeting it announces.
    public var meeting: MeetingNotice?

    public init(
        id: String, title: String, category: Category, priority: PriorityClass = .normal, content: ProgrammeContent,
        durationSeconds: Int, targets: Targets = .all, recurrence: Recurrence, volume: Int? = nil,
        disclosure: Disclosure? = nil, meeting: MeetingNotice? = nil
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.priority = priority
        self.content = content
        self.durationSeconds = durationSeconds
        self.targets = targets
        self.recurrence = recurrence
        self.volume = volume
        self.disclosure = disclosure
        self.meeting = meeting
    }
}

/// What a programme plays.
public enum ProgrammeContent: Sendable, Equatable, Codable {
    /// An audio file: its path as written in the schedule file (relative to that file),
    /// and the stored media once the file was read or uploaded.
    case audio(path: String, media: MediaReference?)
    /// Text in Vietnamese, read by text-to-speech.
    case text(String)
    /// A relay of a live stream for the programme's duration (national or province radio):
    /// its source URLs in order of preference (HLS, Icecast or HTTP MP3/AAC). The controller
    /// pulls the first that plays, once, and re-serves it to the hamlets (docs/relay.md).
    case relay(sources: [String])
    /// A leader speaking live for up to the programme's duration (`loa live`): the controller
    /// takes the audio from `speaker`'s session and re-serves it like a relay (docs/relay.md).
    case live(speaker: String)
}

extension ProgrammeContent {
    /// True for a relay or a live session: a stream for a window, not a file.
    public var isStream: Bool {
        switch self {
        case .relay, .live: true
        case .audio, .text: false
        }
    }

    /// True for a live session.
    public var isLive: Bool {
        if case .live = self { true } else { false }
    }

    /// The sources of a relay; nil for audio, text and live sessions.
    public var relaySources: [String]? {
        if case .relay(let sources) = self { sources } else { nil }
    }
}

/// Which hamlets a programme airs in.
public enum Targets: Sendable, Equatable, Codable {
    /// Every hamlet of the site.
    case all
    /// These hamlet ids.
    case hamlets([String])
    /// The hamlets of these group ids.
    case groups([String])
}

/// A public disclosure under Law 10/2022/QH15.
public struct Disclosure: Sendable, Equatable, Codable {
    /// The item of Art. 11 (1–14) it discloses, e.g. 2 for budget execution, 7 for social support.
    public var item: Int
    /// The date of the decision being disclosed: disclosure is due within 5 working days (Art. 12).
    public var decisionDate: LocalDate

    public init(item: Int, decisionDate: LocalDate) {
        self.item = item
        self.decisionDate = decisionDate
    }

    /// Items 7–12 must air on the commune loudspeakers on at least 3 consecutive days (Art. 13).
    public var needsLoudspeakerDays: Int? { (7...12).contains(item) ? 3 : nil }

    /// Working days after the decision within which it must be disclosed (Art. 12).
    public static let dueWithinWorkingDays = 5
}

/// The meeting a dialogue or meeting notice announces.
public struct MeetingNotice: Sendable, Equatable, Codable {
    /// The day of the meeting.
    public var date: LocalDate
    public var kind: MeetingKind

    public init(date: LocalDate, kind: MeetingKind) {
        self.date = date
        self.kind = kind
    }
}

/// Kinds of meeting, with how many days ahead residents must be told (Decree 59/2023).
public enum MeetingKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// A community meeting of the hamlet (họp cộng đồng dân cư): ≥ 2 days.
    case community
    /// The regular (annual) hamlet meeting (hội nghị thường niên): ≥ 5 days.
    case regular
    /// Electing the hamlet head (bầu trưởng thôn): ≥ 7 days.
    case hamletHeadElection = "hamlet-head-election"
    /// A dialogue conference of the People's Committee with residents (hội nghị đối
    /// thoại): Loa asks the regular meeting's ≥ 5 days.
    case dialogueConference = "dialogue-conference"

    /// Minimum days between the notice first airing and the meeting.
    public var leadDays: Int {
        switch self {
        case .community: 2
        case .regular, .dialogueConference: 5
        case .hamletHeadElection: 7
        }
    }

    /// The name a commune user reads.
    public var vietnameseName: String {
        switch self {
        case .community: "Họp cộng đồng dân cư"
        case .regular: "Hội nghị thường niên"
        case .hamletHeadElection: "Bầu trưởng thôn"
        case .dialogueConference: "Hội nghị đối thoại"
        }
    }
}
