public import LoaDomain

/// The Law 10/2022/QH15 disclosure checks of a report (`Law10Compliance`): per
/// disclosure (the programmes and notices of a schedule carrying the same Art. 11
/// item and decision date) and hamlet, the notice-board days logged against ≥ 30
/// consecutive days for items 1–3 and 5–12, the loudspeaker days against ≥ 3 for
/// items 7–12, the first day disclosed against 5 working days after the decision,
/// and the quarterly list of what was disclosed, how and when (Art. 13).
///
/// Figures come from the log's events (`displayed` / `still-displayed` of the boards,
/// `started` / `finished` of the loudspeakers) and the schedule versions' disclosure
/// metadata; without any schedule version there is nothing to check against and
/// `pending` says so.
public struct Law10DisclosureSection: Sendable, Equatable, Codable {
    /// Announcements of category `disclosure` in the period.
    public var disclosureAnnouncements: Int
    /// One check per disclosure of the schedules, in decision-date order.
    public var checks: [Law10DisclosureCheck]
    /// What was disclosed, how and when, by quarter (Art. 13).
    public var quarterlyList: [Law10QuarterlyEntry]
    /// Why `checks` is empty, Vietnamese then English; nil once checks are made.
    public var pending: String?

    /// A section; the quarterly list is empty when not given.
    public init(
        disclosureAnnouncements: Int, checks: [Law10DisclosureCheck], quarterlyList: [Law10QuarterlyEntry] = [],
        pending: String? = nil
    ) {
        self.disclosureAnnouncements = disclosureAnnouncements
        self.checks = checks
        self.quarterlyList = quarterlyList
        self.pending = pending
    }
}

/// The Law 10/2022 check of one disclosure: an Art. 11 item decided on a day.
public struct Law10DisclosureCheck: Sendable, Equatable, Codable {
    /// Art. 11 item (1–14).
    public var item: Int
    public var decisionDate: LocalDate
    /// The title of its notice (or, without one, its programme).
    public var title: String
    /// Ids of the programmes that air it on the loudspeakers.
    public var programmes: [String]
    /// Ids of the notices that post it on the boards.
    public var notices: [String]
    /// The last day it may first be disclosed: 5 working days after the decision (Art. 12).
    public var dueBy: LocalDate
    /// The first local day a board showed it or a loudspeaker aired it, in any hamlet; nil: never.
    public var firstDisclosed: LocalDate?
    /// True when `firstDisclosed` is on or before `dueBy`.
    public var onTime: Bool
    /// One line per targeted hamlet, in schedule order.
    public var hamlets: [Law10HamletCheck]
    /// True when on time and every hamlet passes.
    public var passes: Bool
}

/// One disclosure in one hamlet.
public struct Law10HamletCheck: Sendable, Equatable, Codable {
    public var hamlet: String
    /// The hamlet's name, e.g. "Thôn Đông".
    public var name: String
    /// The hamlet's boards.
    public var board: Law10ChannelDays
    /// The hamlet's loudspeakers.
    public var loudspeaker: Law10ChannelDays
    /// What falls short, Vietnamese (English in brackets); empty when it passes.
    public var problems: [String]
    /// True when both channels reach what the law asks.
    public var passes: Bool
}

/// The local days a channel carried a disclosure in one hamlet.
public struct Law10ChannelDays: Sendable, Equatable, Codable {
    /// Distinct local days with a record.
    public var days: Int
    /// The longest run of consecutive days.
    public var longestRun: Int
    /// Consecutive days the law asks (30 on boards, 3 on loudspeakers); nil: not asked.
    public var required: Int?
    /// The first and last day with a record.
    public var first: LocalDate?
    public var last: LocalDate?
    /// The first break between two recorded days: the days without a record.
    public var firstGap: Law10Gap?

    /// True when nothing is asked or the longest run reaches it.
    public var passes: Bool { required.map { longestRun >= $0 } ?? true }
}

/// Consecutive local days without a record, both ends included.
public struct Law10Gap: Sendable, Equatable, Codable {
    public var from: LocalDate
    public var until: LocalDate

    /// The days from `from` through `until`.
    public init(from: LocalDate, until: LocalDate) {
        self.from = from
        self.until = until
    }

    /// "ngày 12/12/2026" or "từ 12/12/2026 đến 13/12/2026".
    public var vietnameseDescription: String {
        from == until ? "ngày \(from.vietnameseDescription)"
            : "từ \(from.vietnameseDescription) đến \(until.vietnameseDescription)"
    }
}

/// A line of the quarterly list: what was disclosed, on which channel, from when to when.
public struct Law10QuarterlyEntry: Sendable, Equatable, Codable {
    /// The quarter of `from`, e.g. 4 for October–December.
    public var quarter: Int
    public var year: Int
    /// Art. 11 item; nil for a disclosure without one (e.g. the quarterly list itself).
    public var item: Int?
    public var title: String
    /// `board` (niêm yết) or `loudspeaker` (loa).
    public var channel: String
    /// First and last local day recorded on that channel, in any hamlet.
    public var from: LocalDate
    public var until: LocalDate
    /// Hamlets with a record.
    public var hamlets: Int
}
