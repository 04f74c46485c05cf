#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaProtocol

/// Proof of display: turns what the board page reports it shows into a few events per
/// notice, like proof of play for audio. Pure: the receiver passes the time, writes the
/// events to its outbox and keeps the ledger on disk.
///
/// Per notice (`item` = `BoardNotice.id`):
/// - `displayed` the first time the page reports showing it;
/// - `still-displayed` once for every clock hour in which the page reported it at least
///   once (the first hour included), however often it rotated or reported; `at` is the end
///   of that hour. It is made when the hour is over (``tick(now:)``, or the next report in a
///   later hour), so hours without a report (browser dead, screen dark) have no event;
/// - `taken-down` when its `showUntil` passes or a newer document no longer lists it
///   (`reason`); only for a notice that was displayed.
///
/// Every event has a stable ``Event/key``: made again after a crash (before the ledger was
/// saved) it carries the same id, so the outbox and the controller keep it once.
public struct DisplayRecorder: Sendable {
    /// Why a notice was taken down: its display period ended.
    public static let expiredReason = "hết thời hạn niêm yết (display period ended)"
    /// Why a notice was taken down: a newer document no longer lists it.
    public static let withdrawnReason = "đã rút khỏi lịch (withdrawn)"

    /// An event to report.
    public struct Event: Sendable, Equatable {
        /// Stable for this notice, posting and hour: the event id is made from it.
        public var key: String
        /// The notice (`BoardNotice.id`).
        public var item: String
        public var kind: DeviceEvent.Kind
        public var at: Date
        public var reason: String?
    }

    /// What has been reported so far, kept on disk by the receiver.
    public private(set) var ledger: DisplayLedger

    public init(ledger: DisplayLedger = DisplayLedger()) { self.ledger = ledger }

    /// A newer document lists `notices`: takes down what it no longer lists and starts
    /// following what is new (or posted again after being taken down).
    public mutating func documentChanged(to notices: [BoardNotice], now: Date) -> [Event] {
        var events = tick(now: now)
        let listed = Dictionary(notices.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, record) in ledger.records.sorted(by: { $0.key < $1.key }) where listed[id] == nil && !record.takenDown {
            events += takeDown(id, reason: record.showUntil <= now ? Self.expiredReason : Self.withdrawnReason, now: now)
        }
        for notice in notices {
            if var record = ledger.records[notice.id] {
                if record.takenDown && notice.showUntil > now {
                    // Posted again: a new posting with its own `displayed` and `taken-down`.
                    record.posting += 1
                    record.displayedAt = nil
                    record.takenDown = false
                }
                record.showUntil = notice.showUntil
                ledger.records[notice.id] = record
            } else {
                ledger.records[notice.id] = DisplayLedger.Record(showUntil: notice.showUntil)
            }
        }
        ledger.listed = Set(listed.keys)
        prune()
        return events
    }

    /// The page reports it shows `ids`; `shown` are the notices in rotation now (others are ignored).
    public mutating func pageShowed(_ ids: some Sequence<String>, shown: [BoardNotice], now: Date) -> [Event] {
        var events = tick(now: now)
        let rotating = Set(shown.map(\.id))
        let hour = Self.hour(of: now)
        for id in Set(ids).sorted() where rotating.contains(id) {
            guard var record = ledger.records[id], !record.takenDown else { continue }
            if record.displayedAt == nil {
                record.displayedAt = now
                events.append(Event(key: "displayed:\(id):\(record.posting)", item: id, kind: .displayed, at: now))
            }
            record.pendingHour = hour
            ledger.records[id] = record
        }
        return events
    }

    /// Closes the hours that are over (`still-displayed`) and takes down expired notices.
    public mutating func tick(now: Date) -> [Event] {
        var events: [Event] = []
        let hour = Self.hour(of: now)
        for (id, record) in ledger.records.sorted(by: { $0.key < $1.key }) {
            if let pending = record.pendingHour, pending < hour {
                events.append(stillDisplayed(id, hour: pending))
                ledger.records[id]?.pendingHour = nil
            }
            if !record.takenDown && record.showUntil <= now {
                events += takeDown(id, reason: Self.expiredReason, now: now)
            }
        }
        prune()
        return events
    }

    private mutating func takeDown(_ id: String, reason: String, now: Date) -> [Event] {
        guard var record = ledger.records[id] else { return [] }
        record.takenDown = true
        ledger.records[id] = record
        guard record.displayedAt != nil else { return [] }
        return [Event(key: "taken-down:\(id):\(record.posting)", item: id, kind: .takenDown, at: now, reason: reason)]
    }

    private func stillDisplayed(_ id: String, hour: Int) -> Event {
        Event(
            key: "still-displayed:\(id):\(hour)", item: id, kind: .stillDisplayed,
            at: Date(timeIntervalSince1970: TimeInterval(hour + 1) * 3600))
    }

    /// Forgets notices that are taken down, closed and no longer listed.
    private mutating func prune() {
        ledger.records = ledger.records.filter { id, record in
            !record.takenDown || record.pendingHour != nil || ledger.listed.contains(id)
        }
    }

    /// The clock hour `instant` falls in, counted from 1970. UTC hours are the local clock
    /// hours wherever the offset is whole hours (Vietnam: UTC+7).
    public static func hour(of instant: Date) -> Int { Int((instant.timeIntervalSince1970 / 3600).rounded(.down)) }
}

/// The recorder's memory: per notice, which posting, whether displayed and taken down,
/// and the hour reported but not yet closed.
public struct DisplayLedger: Sendable, Codable, Equatable {
    /// One notice.
    public struct Record: Sendable, Codable, Equatable {
        public var showUntil: Date
        /// 0 for the first posting; one more each time it is posted again after being taken down.
        public var posting: Int = 0
        /// When `displayed` was reported for this posting.
        public var displayedAt: Date?
        /// An hour (``DisplayRecorder/hour(of:)``) the page reported it in, still to close.
        public var pendingHour: Int?
        public var takenDown = false

        public init(showUntil: Date) { self.showUntil = showUntil }
    }

    /// By `BoardNotice.id`.
    public var records: [String: Record] = [:]
    /// The ids the latest document lists.
    public var listed: Set<String> = []

    public init() {}
}
