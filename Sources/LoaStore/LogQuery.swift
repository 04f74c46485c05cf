public import Foundation
import LoaProtocol
public import LoaTransparency

/// Which log entries to list, read from the entries themselves (the data a
/// verifier checks), not from the controller's mutable tables. Every filter
/// left nil lets everything through; the filters combine with AND.
public struct LogQuery: Sendable, Equatable {
    /// Events of this hamlet (zone); announcements that target it.
    public var hamlet: String?
    /// Events of this receiver (announcements are left out when set).
    public var device: String?
    /// Announcements of this category (raw value, e.g. `disclosure`) and events of
    /// their items; events whose announcement entry is not in the log are left out.
    public var category: String?
    /// This announcement and the events of its items.
    public var announcement: String?
    /// Entries whose instant (`LoggedEntry.instant`: an event's `at`, an
    /// announcement's `startAt`) is at or after this one.
    public var from: Date?
    /// Entries whose instant is before this one.
    public var to: Date?
    /// Only these kinds: event kinds (`finished`, `failed`, `missed`, …) and/or
    /// `announcement`, `schedule-applied`, `approval` for those entries. Empty: every kind.
    public var kinds: Set<String>

    /// A query; every filter optional.
    public init(
        hamlet: String? = nil, device: String? = nil, category: String? = nil, announcement: String? = nil,
        from: Date? = nil, to: Date? = nil, kinds: Set<String> = []
    ) {
        self.hamlet = hamlet
        self.device = device
        self.category = category
        self.announcement = announcement
        self.from = from
        self.to = to
        self.kinds = kinds
    }

    /// The kind names `kinds` accepts.
    public static let knownKinds: [String] =
        ["announcement", "schedule-applied", "approval"] + DeviceEvent.Kind.allCases.map(\.rawValue)

    /// True when `entry` (with its `announcement` resolved) passes every filter.
    public func matches(_ entry: LoggedEntry) -> Bool {
        let kind: String
        let hamlets: [String]
        switch entry.content {
        case .event(let event, _):
            kind = event.kind.rawValue
            hamlets = [event.zone]
            if let device, event.device != device { return false }
            if let announcement, LoggedAnnouncement.id(ofItem: event.item) != announcement { return false }
        case .announcement(let logged):
            kind = "announcement"
            hamlets = logged.hamlets
            if device != nil { return false }
            if let announcement, logged.id != announcement { return false }
        case .scheduleApplied, .approval:
            // Schedule decisions concern no hamlet, device or announcement.
            guard device == nil, announcement == nil else { return false }
            kind = entry.fields["type"] ?? ""
            hamlets = []
        case .other:
            return false
        }
        if !kinds.isEmpty, !kinds.contains(kind) { return false }
        if let hamlet, !hamlets.contains(hamlet) { return false }
        if let category, entry.announcement?.category != category { return false }
        if let from, let instant = entry.instant, instant < from { return false }
        if let to, let instant = entry.instant, instant >= to { return false }
        return true
    }
}
