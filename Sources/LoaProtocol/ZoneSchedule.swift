public import Foundation
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

    public init(site: String, zone: String, version: Int, issuedAt: Date, items: [ScheduledItem]) {
        self.site = site
        self.zone = zone
        self.version = version
        self.issuedAt = issuedAt
        self.items = items
    }
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
    public var media: MediaReference

    public init(
        id: String, announcementId: String, title: String, category: Category, priority: PriorityClass,
        startAt: Date, media: MediaReference
    ) {
        self.id = id
        self.announcementId = announcementId
        self.title = title
        self.category = category
        self.priority = priority
        self.startAt = startAt
        self.media = media
    }

    /// The airing of `announcement` in `zone`; its id is stable, so documents can be republished freely.
    public init(announcement: Announcement, zone: String) {
        self.init(
            id: "\(announcement.id)@\(zone)", announcementId: announcement.id, title: announcement.title,
            category: announcement.category, priority: announcement.priority, startAt: announcement.startAt,
            media: announcement.media)
    }
}
