public import Foundation
public import LoaProtocol

/// One log entry read back from its exact bytes (`LogEntryEncoding.decode`),
/// with its position. What it says is what a verifier hashes: nothing here
/// comes from the controller's mutable tables.
public struct LoggedEntry: Sendable, Equatable {
    /// The entry's position in the log, from 0.
    public var index: UInt64
    /// The entry's fields as stored (all strings).
    public var fields: [String: String]
    /// What the entry records.
    public var content: Content
    /// For an event: the announcement entry of its item, when one precedes it in
    /// the log; for an announcement entry: itself.
    public var announcement: LoggedAnnouncement?

    /// What a log entry records.
    public enum Content: Sendable, Equatable {
        /// A receiver event, with the controller's clock when it was stored.
        case event(DeviceEvent, receivedAt: Date)
        /// An announcement the controller accepted.
        case announcement(LoggedAnnouncement)
        /// A schedule version an officer applied.
        case scheduleApplied(LoggedScheduleApplication)
        /// One approver's approval of one programme.
        case approval(LoggedApproval)
        /// An entry of another type, or one whose fields do not read as its type
        /// (the reason is given); `loa log verify` judges the bytes themselves.
        case other(type: String, reason: String)
    }

    /// Reads entry `index` from its stored bytes; never throws: unreadable bytes
    /// become `.other` with the reason.
    public init(index: UInt64, entry: Data) {
        self.index = index
        do {
            fields = try LogEntryEncoding.decode(entry)
        } catch {
            fields = [:]
            content = .other(type: "?", reason: error.description)
            return
        }
        content = Self.content(of: fields)
        if case .announcement(let announcement) = content { self.announcement = announcement }
    }

    /// The receiver event, if this entry is one.
    public var event: DeviceEvent? {
        if case .event(let event, _) = content { event } else { nil }
    }

    /// The instant the entry is about: an event's `at`, an announcement's `startAt`,
    /// a schedule application's or an approval's `at`.
    public var instant: Date? {
        switch content {
        case .event(let event, _): event.at
        case .announcement(let announcement): announcement.startAt
        case .scheduleApplied(let applied): applied.at
        case .approval(let approval): approval.at
        case .other: nil
        }
    }

    private static func content(of fields: [String: String]) -> Content {
        let type = fields["type"] ?? "?"
        switch type {
        case "event":
            guard let id = fields["id"], let device = fields["device"], let site = fields["site"],
                  let zone = fields["zone"], let item = fields["item"],
                  let kind = fields["kind"].flatMap(DeviceEvent.Kind.init(rawValue:)),
                  let at = fields["at"].flatMap(WireCoding.parse),
                  let receivedAt = fields["receivedAt"].flatMap(WireCoding.parse)
            else { return .other(type: type, reason: "an event entry lacks a field or has an unknown kind") }
            let event = DeviceEvent(
                id: id, device: device, site: site, zone: zone, item: item, kind: kind, at: at,
                measuredStartAt: fields["measuredStartAt"].flatMap(WireCoding.parse),
                startOffsetMs: fields["startOffsetMs"].flatMap(Double.init), playedMs: fields["playedMs"].flatMap(Int.init),
                reason: fields["reason"])
            return .event(event, receivedAt: receivedAt)
        case "announcement":
            guard let announcement = LoggedAnnouncement(fields: fields) else {
                return .other(type: type, reason: "an announcement entry lacks a field")
            }
            return .announcement(announcement)
        case "schedule-applied":
            guard let applied = LoggedScheduleApplication(fields: fields) else {
                return .other(type: type, reason: "a schedule-applied entry lacks a field")
            }
            return .scheduleApplied(applied)
        case "approval":
            guard let approval = LoggedApproval(fields: fields) else {
                return .other(type: type, reason: "an approval entry lacks a field")
            }
            return .approval(approval)
        default:
            return .other(type: type, reason: "entry type '\(type)' is not known to this version")
        }
    }
}

/// An announcement as its log entry states it (`LogEntryEncoding.fields(announcement:)`).
public struct LoggedAnnouncement: Sendable, Equatable, Codable {
    /// The announcement's id.
    public var id: String
    /// Its title (NFC).
    public var title: String
    /// The category's raw value (`dialogue`, `disclosure`, …), as logged.
    public var category: String
    /// The priority class's raw value (`normal`, `priority`, `emergency`).
    public var priority: String
    /// The target hamlet ids.
    public var hamlets: [String]
    /// The instant it airs.
    public var startAt: Date
    /// The audio's length in milliseconds.
    public var durationMs: Int
    /// The audio's SHA-256, lowercase hex.
    public var mediaSha256: String
    /// When the controller accepted it.
    public var createdAt: Date

    /// Reads the fields of an announcement entry; nil when one is missing or malformed.
    public init?(fields: [String: String]) {
        guard let id = fields["id"], let title = fields["title"], let category = fields["category"],
              let priority = fields["priority"], let hamlets = fields["hamlets"],
              let startAt = fields["startAt"].flatMap(WireCoding.parse),
              let durationMs = fields["durationMs"].flatMap(Int.init), let media = fields["mediaSha256"],
              let createdAt = fields["createdAt"].flatMap(WireCoding.parse)
        else { return nil }
        self.id = id
        self.title = title
        self.category = category
        self.priority = priority
        self.hamlets = hamlets.split(separator: ",").map(String.init)
        self.startAt = startAt
        self.durationMs = durationMs
        self.mediaSha256 = media
        self.createdAt = createdAt
    }

    /// An announcement as the report counts it; scheduled airings are counted as one
    /// announcement per programme, day and session (`ScheduledAirings` in LoaReports).
    public init(
        id: String, title: String, category: String, priority: String, hamlets: [String], startAt: Date,
        durationMs: Int, mediaSha256: String, createdAt: Date
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.priority = priority
        self.hamlets = hamlets
        self.startAt = startAt
        self.durationMs = durationMs
        self.mediaSha256 = mediaSha256
        self.createdAt = createdAt
    }

    /// The announcement id an item id (`announcement@hamlet`) belongs to.
    public static func id(ofItem item: String) -> String {
        guard let at = item.lastIndex(of: "@") else { return item }
        return String(item[..<at])
    }
}
