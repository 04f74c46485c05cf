/// What the planner worked out for a span of days: every airing per hamlet, how
/// full each slot is, and what does not fit or breaks a rule.
public struct Plan: Sendable {
    /// First planned day.
    public var from: LocalDate
    /// Number of planned days.
    public var days: Int
    /// Every airing, by hamlet (schedule order), then start.
    public var occurrences: [Occurrence]
    /// Every slot session of every hamlet, by hamlet, then day, then slot.
    public var slotFills: [SlotFill]
    /// Overflows, conflicts, quiet-hour breaches: by day, then hamlet.
    public var findings: [PlanFinding]

    public init(from: LocalDate, days: Int, occurrences: [Occurrence], slotFills: [SlotFill], findings: [PlanFinding]) {
        self.from = from
        self.days = days
        self.occurrences = occurrences
        self.slotFills = slotFills
        self.findings = findings
    }

    /// The last planned day.
    public var through: LocalDate { from.adding(days: days - 1) }

    /// True when `date` is inside the planned span.
    public func covers(_ date: LocalDate) -> Bool { date >= from && date <= through }
}

/// How one slot session of one hamlet is used.
public struct SlotFill: Sendable, Equatable {
    public var hamlet: Int
    public var date: LocalDate
    /// Index into `SiteSettings.slots`.
    public var slot: Int
    /// Seconds of content the session may hold.
    public var capacitySeconds: Int
    /// Seconds used by the placed airings (gaps between them included).
    public var usedSeconds: Int
    /// Programmes (indices) that wanted this session but did not fit.
    public var overflow: [Int]

    public init(hamlet: Int, date: LocalDate, slot: Int, capacitySeconds: Int, usedSeconds: Int, overflow: [Int]) {
        self.hamlet = hamlet
        self.date = date
        self.slot = slot
        self.capacitySeconds = capacitySeconds
        self.usedSeconds = usedSeconds
        self.overflow = overflow
    }
}

/// Something the officer should know about a plan.
public struct PlanFinding: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A programme got fewer airings on a day than it asked for: its slots were full.
        case overflow
        /// Two airings in one hamlet overlap.
        case conflict
        /// A normal or priority programme asked for a time inside quiet hours: it is not aired then.
        case quietHours = "quiet-hours"

        /// In words for the officer.
        public var name: LocalizedText {
            switch self {
            case .overflow: LocalizedText(vi: "quá thời lượng phiên", en: "session full")
            case .conflict: LocalizedText(vi: "trùng giờ", en: "conflict")
            case .quietHours: LocalizedText(vi: "giờ yên tĩnh", en: "quiet hours")
            }
        }
    }

    public var kind: Kind
    /// Index into `BroadcastSchedule.programmes`.
    public var programme: Int
    /// Index into `BroadcastSchedule.hamlets`.
    public var hamlet: Int
    public var date: LocalDate
    public var message: LocalizedText

    public init(kind: Kind, programme: Int, hamlet: Int, date: LocalDate, message: LocalizedText) {
        self.kind = kind
        self.programme = programme
        self.hamlet = hamlet
        self.date = date
        self.message = message
    }
}
