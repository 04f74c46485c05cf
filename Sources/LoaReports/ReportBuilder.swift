public import Foundation
public import LoaDomain
import LoaProtocol
public import LoaTransparency

/// Computes a `Report` from log entries alone: no database, no clock, no I/O.
///
/// - Planned: each announcement entry whose `startAt` lies in the period, once
///   per target hamlet (an item `announcement@hamlet`); and each scheduled airing
///   the log's events name (`ScheduledAirings`), once per programme, day, session
///   and hamlet.
/// - Played: an item with a `finished` event from at least one receiver.
/// - Aired: per item the longest `playedMs` among its `finished` events, summed.
/// - Receivers of a hamlet: the devices with any event of that hamlet in the
///   entries, up to the end of the period; the share confirmed is the
///   `finished` receivers summed over items, over planned items × receivers.
/// - Failures, misses, preemptions: `failed`, `missed`, `preempted` events of
///   the period's items, with their reasons.
/// - Law 10/2022: the disclosures of `schedules` against the boards' and
///   loudspeakers' events (`Law10Compliance`).
public struct ReportBuilder: Sendable {
    /// Announcements whose `startAt` is at or after this instant; nil: from the beginning.
    public var from: Date?
    /// Announcements whose `startAt` is before this instant; nil: up to the end of the log.
    public var to: Date?
    /// Only this hamlet.
    public var hamlet: String?
    /// Only this category (raw value).
    public var category: String?
    /// Every schedule version the controller stored, oldest first (`LogAudit.scheduleVersions`):
    /// the disclosure metadata and site holidays the Law 10/2022 checks need.
    public var schedules: [BroadcastSchedule]

    /// A builder for a period and optional hamlet and category.
    public init(
        from: Date? = nil, to: Date? = nil, hamlet: String? = nil, category: String? = nil,
        schedules: [BroadcastSchedule] = []
    ) {
        self.from = from
        self.to = to
        self.hamlet = hamlet
        self.category = category
        self.schedules = schedules
    }

    /// The report of `entries` (all the log's entries, in order; `LogQuery()`).
    /// - Parameter checkpoint: the signed checkpoint the entries were read under, to quote in the report.
    public func build(_ entries: [LoggedEntry], checkpoint: String? = nil) -> Report {
        var announcements: [String: LoggedAnnouncement] = [:]
        var eventsByItem: [String: [(event: DeviceEvent, index: UInt64)]] = [:]
        var receivers: [String: Set<String>] = [:]
        var eventsWithoutAnnouncement = 0
        let scheduled = ScheduledAirings(schedules: schedules)
        var airings: [String: LoggedAnnouncement] = [:]
        for entry in entries {
            switch entry.content {
            case .announcement(let announcement):
                announcements[announcement.id] = announcement
            case .event(let event, _):
                // The controller's own `missed` records are not a receiver of the hamlet.
                if event.device != DeviceEvent.controllerDevice, to.map({ event.at < $0 }) ?? true {
                    receivers[event.zone, default: []].insert(event.device)
                }
                eventsByItem[event.item, default: []].append((event, entry.index))
                // Notice boards' records are judged by the Law 10/2022 section.
                if [.displayed, .stillDisplayed, .takenDown].contains(event.kind) { continue }
                let id = LoggedAnnouncement.id(ofItem: event.item)
                if announcements[id] != nil { continue }
                if let airing = scheduled.airing(ofItem: event.item) {
                    var known = airings[id] ?? airing
                    if !known.hamlets.contains(airing.hamlets[0]) { known.hamlets.append(airing.hamlets[0]) }
                    airings[id] = known
                } else {
                    eventsWithoutAnnouncement += 1
                }
            case .scheduleApplied, .approval, .other:
                break
            }
        }
        announcements.merge(airings) { announcement, _ in announcement }

        var rows: [RowKey: ReportRow] = [:]
        var incidents: [ReportIncident] = []
        var disclosures: [LoggedAnnouncement] = []
        for announcement in announcements.values where inPeriod(announcement) {
            if let category, announcement.category != category { continue }
            if announcement.category == Category.disclosure.rawValue { disclosures.append(announcement) }
            for itemHamlet in announcement.hamlets where hamlet.map({ $0 == itemHamlet }) ?? true {
                let key = RowKey(category: announcement.category, hamlet: itemHamlet)
                var row = rows[key] ?? ReportRow(category: key.category, hamlet: key.hamlet)
                let events = eventsByItem["\(announcement.id)@\(itemHamlet)"] ?? []
                let finished = events.filter { $0.event.kind == .finished }
                let hamletReceivers = receivers[itemHamlet]?.count ?? 0
                row.planned += 1
                row.receivers = hamletReceivers
                row.expectedConfirmations += hamletReceivers
                if !finished.isEmpty { row.played += 1 }
                row.airedMs += finished.compactMap(\.event.playedMs).max() ?? 0
                row.confirmations += Set(finished.map(\.event.device)).count
                var reasons = Dictionary(uniqueKeysWithValues: row.reasons.map { ($0.key, $0.count) })
                for (event, index) in events where [.failed, .missed, .preempted].contains(event.kind) {
                    switch event.kind {
                    case .failed: row.failures += 1
                    case .missed: row.misses += 1
                    default: row.preemptions += 1
                    }
                    let reason = event.reason ?? ""
                    reasons[ReasonCount.Key(kind: event.kind.rawValue, reason: reason), default: 0] += 1
                    incidents.append(ReportIncident(
                        category: announcement.category, hamlet: itemHamlet, announcement: announcement.id,
                        title: announcement.title, device: event.device, kind: event.kind.rawValue, at: event.at,
                        reason: reason, logIndex: index))
                }
                row.reasons = ReasonCount.sorted(reasons)
                rows[key] = row
            }
        }
        let order = Dictionary(uniqueKeysWithValues: Category.allCases.enumerated().map { ($1.rawValue, $0) })
        let sortedRows = rows.values.map { row in
            var row = row
            row.computeShare()
            return row
        }.sorted {
            (order[$0.category] ?? order.count, $0.category, $0.hamlet) < (order[$1.category] ?? order.count, $1.category, $1.hamlet)
        }
        return Report(
            from: from, to: to, hamlet: hamlet, category: category,
            logEntries: entries.last.map { $0.index + 1 } ?? 0, checkpoint: checkpoint, rows: sortedRows,
            incidents: incidents.sorted { ($0.at, $0.logIndex) < ($1.at, $1.logIndex) },
            eventsWithoutAnnouncement: eventsWithoutAnnouncement,
            law10: Law10Compliance(schedules: schedules).section(
                events: entries.compactMap(\.event), period: (from, to), hamlet: hamlet,
                disclosureAnnouncements: disclosures.count))
    }

    private func inPeriod(_ announcement: LoggedAnnouncement) -> Bool {
        (from.map { announcement.startAt >= $0 } ?? true) && (to.map { announcement.startAt < $0 } ?? true)
    }

    private struct RowKey: Hashable {
        var category: String
        var hamlet: String
    }
}
