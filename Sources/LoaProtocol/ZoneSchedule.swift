#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaDomain

/// The retained document on `zone/{hamlet}/schedule`: everything the hamlet must
/// play in the coming window. Receivers reconcile from it; a newer `version` replaces an older one.
public struct ZoneSchedule: Sendable, Equatable, Codable {
    /// Format version of this document.
    public var format: Int = 1
    public var site: String
    public var zone: String
    /// Grows by one with every document the controller publishes for this zone.
    public var version: Int
    public var issuedAt: Date
    public var items: [ScheduledItem]
    /// IANA time zone of the site's wall clock (e.g. `Asia/Ho_Chi_Minh`), in which
    /// `quietHours` are read. Optional; instants stay absolute everywhere else.
    public var timeZone: String?
    /// Spans of the local day when only emergency items may sound (e.g. 21:30–05:00;
    /// `end` before `start` wraps past midnight), each `{"start": "21:30", "end": "05:00"}`.
    /// A receiver does not play a normal or priority item whose `startAt` falls in one:
    /// it reports it `missed`. Absent or empty: no quiet hours.
    public var quietHours: [QuietHours]?
    /// What the hamlet's notice boards show (or will show) in the window; absent = none.
    public var notices: [BoardNotice]?

    /// A document; `timeZone` and `quietHours` may be left out (no quiet hours).
    public init(
        site: String, zone: String, version: Int, issuedAt: Date, items: [ScheduledItem], timeZone: String? = nil,
        quietHours: [QuietHours]? = nil, notices: [BoardNotice]? = nil
    ) {
        self.site = site
        self.zone = zone
        self.version = version
        self.issuedAt = issuedAt
        self.items = items
        self.timeZone = timeZone
        self.quietHours = quietHours
        self.notices = notices
    }

    /// The time zone quiet hours are read in when `timeZone` is absent or unknown here.
    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"

    /// The quiet-hours span that `instant` falls in, on the wall clock of `timeZone`
    /// (``defaultTimeZone`` when that is absent or unknown); nil outside quiet hours.
    public func quietSpan(at instant: Date) -> QuietHours? {
        guard let quietHours, !quietHours.isEmpty else { return nil }
        let time = WallClock(siteTimeZone: timeZone).local(instant).time
        return quietHours.first { $0.contains(time) }
    }

    /// Removes what can wait the longest, for a document that must shrink: the
    /// non-emergency airing that starts last, else the notice listed last, else the
    /// emergency that starts last. Returns its id; nil when nothing is left.
    public mutating func removeLeastUrgent() -> String? {
        func latest(_ isEmergency: Bool) -> Int? {
            items.indices.filter { (items[$0].priority == .emergency) == isEmergency }.max { items[$0].startAt < items[$1].startAt }
        }
        if let index = latest(false) { return items.remove(at: index).id }
        if let notice = notices?.popLast() { return notice.id }
        if let index = latest(true) { return items.remove(at: index).id }
        return nil
    }

    /// True when `instant` falls in quiet hours: only an emergency may sound then.
    public func isQuiet(at instant: Date) -> Bool { quietSpan(at: instant) != nil }
}

/// One airing of an announcement in a zone.
public struct ScheduledItem: Sendable, Equatable, Codable {
    /// Unique per airing; events name it.
    public var id: String
    public var announcementId: String
    public var title: String
    public var category: Category
    public var priority: PriorityClass
    public var startAt: Date
    /// The audio, fetched over HTTP at `{mediaBaseURL}/media/{sha256}` and checked against the hash.
    /// For a relay (`stream` present): the stand-by audio, played when no stream URL plays.
    public var media: MediaReference
    /// Present for a relay of a live stream: where to play it from and until when. A
    /// receiver that does not know streams plays `media` (the stand-by notice) instead.
    public var stream: ItemStream?
    /// The speaker volume step, 1–10 (`SpeakerVolume`): the programme's, or the site's
    /// default; absent plays at 10. Absent from documents of older controllers.
    public var volume: Int?

    public init(
        id: String, announcementId: String, title: String, category: Category, priority: PriorityClass,
        startAt: Date, media: MediaReference, volume: Int? = nil, stream: ItemStream? = nil
    ) {
        self.volume = volume
        self.stream = stream
        self.id = id
        self.announcementId = announcementId
        self.title = title
        self.category = category
        self.priority = priority
        self.startAt = startAt
        self.media = media
    }

    /// The volume step the receiver plays it at: 10 for an emergency (it must be heard) and
    /// for an item without one, else its `volume`.
    public var playbackVolume: Int {
        priority == .emergency ? SpeakerVolume.steps.upperBound : volume ?? SpeakerVolume.steps.upperBound
    }

    /// How long it holds the speaker at most, in ms: a relay's window, or else its audio.
    public var airingMs: Int {
        stream.map { Int(($0.endAt.timeIntervalSince(startAt) * 1000).rounded()) } ?? media.durationMs
    }

    /// The airing of `announcement` in `zone`; its id is stable, so documents can be republished freely.
    public init(announcement: Announcement, zone: String) {
        self.init(
            id: "\(announcement.id)@\(zone)", announcementId: announcement.id, title: announcement.title,
            category: announcement.category, priority: announcement.priority, startAt: announcement.startAt,
            media: announcement.media)
    }
}

extension ScheduledItem: AirOrdered {}

/// The live stream of a relay item (docs/protocol.md, Relays).
public struct ItemStream: Sendable, Equatable, Codable {
    /// Where to play it from, in order: `http://` MP3 mounts of the controller's relay, each
    /// fetched with HTTP basic credentials, the device's id and media token. A receiver
    /// moves to the next when one cannot be played, and back to the first after the last.
    public var urls: [String]
    /// The end of the relay's window: the receiver stops then and yields the speaker.
    public var endAt: Date
    /// How much sound the receiver keeps ahead of its card, in ms: what a network stall may
    /// last without a gap, and how far behind the stream the speaker sounds. Absent: 1000
    /// (a relay); a live session asks for less, so that the speaker hears himself late by
    /// less than a second.
    public var prebufferMs: Int?

    public init(urls: [String], endAt: Date, prebufferMs: Int? = nil) {
        self.urls = urls
        self.endAt = endAt
        self.prebufferMs = prebufferMs
    }

    /// The prebuffer a receiver keeps, in seconds: `prebufferMs` within 100–5000 ms, else 1 s.
    public var prebuffer: Double {
        prebufferMs.map { Double(min(max($0, 100), 5000)) / 1000 } ?? 1
    }

    /// The prebuffer of a live session: low delay on a good link.
    public static let livePrebufferMs = 300

    /// How many URLs an item may list, and how long each may be.
    public static let mostURLs = 4
    public static let longestURL = 512
}
