public import Foundation

/// Broadcasts planned against broadcasts played, per category and hamlet,
/// computed from the transparency log's entries only (`ReportBuilder`).
public struct Report: Sendable, Equatable, Codable {
    /// The period: announcements whose `startAt` is at or after `from` and before `to`.
    public var from: Date?
    /// The end of the period (exclusive); nil: the end of the log.
    public var to: Date?
    /// The hamlet the report was limited to, if any.
    public var hamlet: String?
    /// The category (raw value) the report was limited to, if any.
    public var category: String?
    /// How many log entries the figures were computed from.
    public var logEntries: UInt64
    /// The signed checkpoint of the log the figures were computed from, when the
    /// caller had it: with it a supervisor can check the entries behind the report.
    public var checkpoint: String?
    /// One row per category and hamlet, categories in `Category.allCases` order, then hamlets by id.
    public var rows: [ReportRow]
    /// Every failure, miss and preemption of the period's items, with the receiver's reason.
    public var incidents: [ReportIncident]
    /// Events of items whose announcement entry is not in the log (e.g. logged
    /// before announcements were): counted here, not in any row.
    public var eventsWithoutAnnouncement: Int
    /// Law 10/2022 disclosure checks (issue #3).
    public var law10: Law10DisclosureSection
}

/// The figures of one category in one hamlet.
public struct ReportRow: Sendable, Equatable, Codable {
    /// The category's raw value (`dialogue`, `disclosure`, …).
    public var category: String
    /// The hamlet id.
    public var hamlet: String
    /// Announcements to this hamlet in the period (one item each).
    public var planned: Int
    /// Items with a `finished` event from at least one receiver.
    public var played: Int
    /// Milliseconds aired: per item the longest `playedMs` any receiver reported, summed.
    public var airedMs: Int
    /// Receivers seen in the log for this hamlet (any event of theirs, up to the end of the period).
    public var receivers: Int
    /// Receiver confirmations: per item, the receivers that reported `finished`, summed.
    public var confirmations: Int
    /// `failed` events.
    public var failures: Int
    /// `missed` events.
    public var misses: Int
    /// `preempted` events.
    public var preemptions: Int
    /// Reasons of failures, misses and preemptions, with how often each was given.
    public var reasons: [ReasonCount]

    /// Confirmations expected: every receiver of the hamlet for every planned item.
    public var expectedConfirmations: Int
    /// `confirmations / expectedConfirmations`, the share of the hamlet's receivers
    /// that confirmed over all planned items; nil when nothing was expected (no
    /// item, or no receiver seen).
    public var confirmedShare: Double?

    /// Minutes aired.
    public var airedMinutes: Double { Double(airedMs) / 60_000 }

    /// An empty row.
    public init(category: String, hamlet: String) {
        self.category = category
        self.hamlet = hamlet
        planned = 0
        played = 0
        airedMs = 0
        receivers = 0
        confirmations = 0
        expectedConfirmations = 0
        failures = 0
        misses = 0
        preemptions = 0
        reasons = []
    }

    /// Sets `confirmedShare` from the two counts.
    mutating func computeShare() {
        confirmedShare = expectedConfirmations == 0 ? nil : Double(confirmations) / Double(expectedConfirmations)
    }

    /// The sum of `rows` (receivers summed too: a receiver serves one hamlet),
    /// labelled with `category` and `hamlet`.
    public static func total(of rows: [ReportRow], category: String, hamlet: String) -> ReportRow {
        var total = ReportRow(category: category, hamlet: hamlet)
        var reasons: [ReasonCount.Key: Int] = [:]
        for row in rows {
            total.planned += row.planned
            total.played += row.played
            total.airedMs += row.airedMs
            total.receivers += row.receivers
            total.confirmations += row.confirmations
            total.expectedConfirmations += row.expectedConfirmations
            total.failures += row.failures
            total.misses += row.misses
            total.preemptions += row.preemptions
            for reason in row.reasons { reasons[reason.key, default: 0] += reason.count }
        }
        total.reasons = ReasonCount.sorted(reasons)
        total.computeShare()
        return total
    }
}

/// A reason a receiver gave, with how many events gave it.
public struct ReasonCount: Sendable, Equatable, Codable {
    /// `failed`, `missed` or `preempted`.
    public var kind: String
    /// The receiver's words.
    public var reason: String
    /// How many events gave it.
    public var count: Int

    /// A reason and its count.
    public init(kind: String, reason: String, count: Int) {
        self.kind = kind
        self.reason = reason
        self.count = count
    }

    struct Key: Hashable { var kind: String; var reason: String }
    var key: Key { Key(kind: kind, reason: reason) }

    /// Most frequent first, then by kind and reason.
    static func sorted(_ counts: [Key: Int]) -> [ReasonCount] {
        counts.map { ReasonCount(kind: $0.key.kind, reason: $0.key.reason, count: $0.value) }
            .sorted { ($1.count, $0.kind, $0.reason) < ($0.count, $1.kind, $1.reason) }
    }
}

/// One failure, miss or preemption, as the receiver reported it.
public struct ReportIncident: Sendable, Equatable, Codable {
    /// The announcement's category (raw value).
    public var category: String
    /// The item's hamlet.
    public var hamlet: String
    /// The announcement's id.
    public var announcement: String
    /// The announcement's title.
    public var title: String
    /// The receiver that reported it.
    public var device: String
    /// `failed`, `missed` or `preempted`.
    public var kind: String
    /// The receiver's clock at the event.
    public var at: Date
    /// The receiver's words.
    public var reason: String
    /// The event's position in the log, so it can be proven (`loa log prove`).
    public var logIndex: UInt64
}
